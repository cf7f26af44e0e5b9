"""设置 and the first start: the office's settings screen and the first-run questions."""
