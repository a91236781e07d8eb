"""Public views of the services app, one module per part of the section."""
