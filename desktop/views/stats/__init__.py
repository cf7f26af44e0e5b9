"""季度报表: the quarterly report screen, its tables and charts."""
