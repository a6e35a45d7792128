"""The data map: loading, models, validation and lint."""

from skydd.datamap.loader import LoadedMap, load_map
from skydd.datamap.models import DataMap

__all__ = ["DataMap", "LoadedMap", "load_map"]
