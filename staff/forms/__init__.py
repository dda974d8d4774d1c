"""The staff toolkit for forms: every staff view imports its forms from here.

- ``base``: ``StrippedForm`` (CSRF, text stripped), ``FilterForm`` (GET, no CSRF) and the button-only ``ConfirmForm``.
- ``fields``: ``GovDateField`` with the GOV.UK date-input error messages, ``optional_int``, checkboxes, money, hours,
  and builders for text boxes and buttons.
- ``filters``: the filter forms of every list and report.
- One module per area for the rest: ``auth``, ``casework``, ``lifecycle``, ``advocacy``, ``compliments``,
  ``settings``.
"""
