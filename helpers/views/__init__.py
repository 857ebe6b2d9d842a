"""Views for the notebooks: what to focus on and compare, and the interactive explorer."""
