"""The NIR kernel: everything about the titulaire's identifier, on the ground floor.

It imports Django and the standard library (and python-stdnum), never the project's apps, so
every app may use it. The NIR is normalised at the edge, once, by this package only:

- `rules`: the pure rules (validation, normalisation, ages, masking, fictitious numbers), no
  Django import;
- `fields`: `NirField`, the model field of every model holding a NIR (stores the normal form),
  and `NirFormField`, the form field of every form taking one (cleans the typed value);
- `digest`: the keyed hash (`PORTAL_NIR_HASH_KEY`) that counts, locks and audits a NIR
  without storing it;
- `masking` (the models' masked display) and `logging` (the log filter, the masked error mail);
- `admin_search`: the admin's search boxes, where a NIR never reaches a URL.

Below the edge a NIR is a normal 15-character string, used as is.
"""
