"""MySQL and MariaDB through PyMySQL (`pip install "skydd[mysql]"`)."""

from __future__ import annotations

from typing import Any, ClassVar

from sqlalchemy.engine import URL

from skydd.connectors.base import Connector


class MySQLConnector(Connector):
    """MySQL or MariaDB; `mysql://` and `mariadb://` URLs use PyMySQL.

    SQLAlchemy's MySQL dialect recognises a MariaDB server by its version, so
    both go through `mysql+pymysql`.
    """

    kind: ClassVar[str] = "MySQL/MariaDB"
    driver_module: ClassVar[str | None] = "pymysql"
    extra: ClassVar[str | None] = "mysql"
    default_port: ClassVar[int | None] = 3306

    @classmethod
    def normalise_url(cls, url: URL) -> URL:
        url = url.set(drivername="mysql+pymysql")
        if "charset" not in url.query:
            url = url.update_query_dict({"charset": "utf8mb4"})
        return url

    def engine_options(self) -> dict[str, Any]:
        # Fail within seconds on a wrong host; recycle before the server's wait_timeout.
        options: dict[str, Any] = {"pool_recycle": 3600}
        if "connect_timeout" not in self.url.query:
            options["connect_args"] = {"connect_timeout": 10}
        return options
