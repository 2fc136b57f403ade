"""The validator's checks, one module per family; scripts/validate.py runs them all."""
