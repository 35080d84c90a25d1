"""Files to graph: reading, validation against the dataset contract, entity resolution."""

from .dataset import Dataset, load_dataset  # noqa: F401
from .problems import DataError, Problem  # noqa: F401
