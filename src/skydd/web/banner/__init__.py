"""The cookie banner: its script, styles and configuration from the data map."""
