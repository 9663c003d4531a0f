"""frwatch's spiders: ``news``, ``aws_blog`` and ``sec``."""
