"""AWS connections and deployments; imported by designer.models so Django finds them."""
