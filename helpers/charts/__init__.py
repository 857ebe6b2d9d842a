"""Charts stage: plots of the statistics tables, house style, fonts and source notes."""
