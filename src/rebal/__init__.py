"""rebal: rebalance one portfolio held across several accounts."""

__version__ = "0.1.0"
