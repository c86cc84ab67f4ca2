"""counselor-planner: 领导干部直接联系服务辅导员 pairing, calendar and reports."""

__version__ = "0.1.0"
