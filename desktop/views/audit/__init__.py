"""The 审计日志 screen (ACCESS.md): the log filtered and paged, one entry's
before and after, the chain check and the export."""
