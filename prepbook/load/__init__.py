"""Loading: workshop files → strict YAML with positions → validated models → a playbook."""
