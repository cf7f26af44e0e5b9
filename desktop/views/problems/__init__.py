"""The 问题清单 screen, its dialogs, and the 走访记录 section of an organization's page."""
