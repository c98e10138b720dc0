"""Bastion: operations platform for border-control units."""
__version__ = "0.1.0"
