"""The duty officer's workbench (值班台): what needs the officer now, on one live page."""
