"""Liangxin Desk (两新党建工作台): offline Party-building registry and outputs."""

__version__ = "0.1.0"
