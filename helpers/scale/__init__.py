"""Scaling: Parquet partitions, the Dask client, one generic map-and-combine over the stages."""
