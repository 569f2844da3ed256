"""Template tags of the cases app."""
