"""Gongkai: YAML records of a community's public affairs → website and printable notices."""
