"""Exports: requested by a person (services.py), built row by row in a worker (build.py,
xlsx.py), kept in the private storage for a short time."""
