"""frwatch's application shell: the command line, the configuration and the demo."""
