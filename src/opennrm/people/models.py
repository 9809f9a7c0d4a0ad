from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _


class Person(models.Model):
    """A person registered by one agency (HTCDS `prs_`). Identity columns hold AES-GCM ciphertext.

    Read and write identity only through `people.identity`; coarse fields (gender, citizenship,
    IDP status, oblast of origin) stay plaintext for statistics.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agency = models.ForeignKey(
        "tenancy.Agency", on_delete=models.PROTECT, related_name="persons", verbose_name=_("agency")
    )
    kek_id = models.CharField(max_length=64)
    wrapped_data_key = models.BinaryField()
    first_name_enc = models.BinaryField()
    middle_name_enc = models.BinaryField()
    family_name_enc = models.BinaryField()
    aliases_enc = models.BinaryField()
    birth_date_enc = models.BinaryField()
    documents_enc = models.BinaryField()
    rnokpp_enc = models.BinaryField()
    contact_enc = models.BinaryField()
    origin_detail_enc = models.BinaryField()
    vulnerability_details_enc = models.BinaryField()

    gender = models.CharField(_("gender"), max_length=32, default="NonSpecifiedUnknown")
    citizenships = models.JSONField(_("citizenships"), default=list, blank=True)
    is_idp = models.BooleanField(_("internally displaced person"), default=False)
    origin_oblast = models.CharField(
        _("oblast of origin"),
        max_length=8,
        blank=True,
    )
    # HTCDS person facts kept as codes (no identity in them): prs_MaritalStatus,
    # prs_PrimaryLanguage and prs_SecondaryLanguage (ISO 639-2), prs_HighestLevelOfEducation.
    marital_status = models.CharField(_("marital status"), max_length=32, blank=True)
    primary_language = models.CharField(_("primary language"), max_length=3, blank=True)
    secondary_language = models.CharField(_("secondary language"), max_length=3, blank=True)
    education = models.CharField(_("highest level of education"), max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return f"person {self.id}"  # never the name: str() ends up in logs


class PersonSearchKey(models.Model):
    """One blind-index key of one normalised token of one identity field: the first 64 bits of
    its keyed digest (`vault.blind.blind_key`), as a BIGINT: index entries of 8 bytes instead
    of 64 hex characters.

    Two dozen rows per person, written only by `people.identity` (a person's rows are a set,
    replaced whole). Searches read them by digest, the persons of a page by person: an index
    each. No unique index over (person, field, digest): it was the largest structure of the
    database (larger than the table) and a third of the cost of writing a person's keys,
    guarding against duplicates the writer cannot make and no query minds (benchmarks/README.md,
    `htcds_import`).

    Nor a foreign-key constraint in the database: the rows are a derived index (rebuilt whole by
    `opennrm reindex-names`), and the database's check of every row's person (deferred to the
    commit on PostgreSQL, at each insert on SQLite) was an eighth of an import's time on
    PostgreSQL. A person's rows go with the person all the same (the ORM's cascade, as for
    every foreign key here: Django's constraints have no ON DELETE), and on PostgreSQL
    row-level security lets a row be written only for a person the writer can see."""

    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, related_name="search_keys", db_constraint=False
    )
    field = models.CharField(max_length=32)
    digest = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["digest"], name="person_search_digest_idx")]

    def __str__(self) -> str:
        return f"search key {self.field}"
