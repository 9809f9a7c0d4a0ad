"""The NRM workflow: screening, referral and sharing, the status procedure, assistance.

Each sub-package is a Django app of its own (its models, migrations, services, queries);
siblings do not import each other. `opennrm.nrm.timeline` reads across them.
"""
