"""Procedure names and time limits for dossiers, read from the public catalog.

Dossiers only need a few facts of a procedure; this port keeps them independent of how the catalog is stored.
"""

from chalicelib.domain.dossiers import ProcedureRef


class CatalogProcedureLookup:
    def find(self, code: str) -> ProcedureRef | None:
        from chalicelib.domain.procedure_catalog import procedures_by_code

        procedure = procedures_by_code().get(code)
        if procedure is None:
            return None
        return ProcedureRef(
            code=procedure.code,
            name_vi=procedure.name_vi,
            name_en=procedure.name_en,
            statutory_days=procedure.processing_working_days,
            online=procedure.can_be_done_online,
            form_fields=tuple((f.name, f.type, f.required) for f in procedure.form_fields),
        )
