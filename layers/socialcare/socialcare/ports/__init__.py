"""Every Protocol a use case depends on, one module per concern; the adapters implement
them. Ports import only domain/."""
