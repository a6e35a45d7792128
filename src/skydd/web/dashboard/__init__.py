"""The DPO dashboard: figures from the store, inline SVG charts, Swedish and English pages."""
