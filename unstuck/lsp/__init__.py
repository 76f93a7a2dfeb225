"""The LSP server: ``unstuck lsp``."""
