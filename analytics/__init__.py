"""Open Cities Monitor's UI-free core: storage, reference data, imports and analytics.

Nothing here imports streamlit, so every function runs from the CLI (`python -m analytics`),
from tests and from notebooks alike.
"""
