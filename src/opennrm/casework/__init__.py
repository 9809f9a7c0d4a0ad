"""Case work: notes on a case, a contact with the person or a service delivered, and the
attachments of a case (signed consent forms, documents). Each is sealed with the person's data
key (erasing the person shreds them) and carries the data category the gate reads it by
(`access/casework.py`, the table in `access/fields.py`). docs/casework.md."""
