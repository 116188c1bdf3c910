"""手続き: every request a member, agency or the BPO makes, with its status timeline."""
