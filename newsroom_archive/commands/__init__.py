"""Project-level Scrapy commands (COMMANDS_MODULE)."""
