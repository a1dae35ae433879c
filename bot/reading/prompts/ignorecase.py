"""The letters `re.IGNORECASE` takes for one another beyond their simple lower cases.

A case-insensitive pattern matches a letter by its simple lower case, and also by the letters
listed here for that lower case: "s" matches "ſ" (long s) and "µ" (micro sign) matches "μ".
The rules that fold text as the regular-expression engine compares it (`lexicon.fold`,
`abbreviations.fold`) need the same list. CPython keeps it in a private module,
`re._casefix`, generated from the Unicode data of its version; this is a copy of it for
Python 3.11, and `tests/reading/prompts/test_ignorecase.py` checks that the two agree on the Python
the tests run on.
"""

from __future__ import annotations

from collections.abc import Mapping

# A lower-case code point → the other code points re.IGNORECASE takes for it.
EXTRA_CASES: Mapping[int, tuple[int, ...]] = {
    0x0069: (0x0131,),  # i: ı
    0x0073: (0x017F,),  # s: ſ
    0x00B5: (0x03BC,),  # µ: μ
    0x0131: (0x0069,),  # ı: i
    0x017F: (0x0073,),  # ſ: s
    0x0345: (0x03B9, 0x1FBE),  # U+0345: ι, ι
    0x0390: (0x1FD3,),  # ΐ: ΐ
    0x03B0: (0x1FE3,),  # ΰ: ΰ
    0x03B2: (0x03D0,),  # β: ϐ
    0x03B5: (0x03F5,),  # ε: ϵ
    0x03B8: (0x03D1,),  # θ: ϑ
    0x03B9: (0x0345, 0x1FBE),  # ι: U+0345, ι
    0x03BA: (0x03F0,),  # κ: ϰ
    0x03BC: (0x00B5,),  # μ: µ
    0x03C0: (0x03D6,),  # π: ϖ
    0x03C1: (0x03F1,),  # ρ: ϱ
    0x03C2: (0x03C3,),  # ς: σ
    0x03C3: (0x03C2,),  # σ: ς
    0x03C6: (0x03D5,),  # φ: ϕ
    0x03D0: (0x03B2,),  # ϐ: β
    0x03D1: (0x03B8,),  # ϑ: θ
    0x03D5: (0x03C6,),  # ϕ: φ
    0x03D6: (0x03C0,),  # ϖ: π
    0x03F0: (0x03BA,),  # ϰ: κ
    0x03F1: (0x03C1,),  # ϱ: ρ
    0x03F5: (0x03B5,),  # ϵ: ε
    0x0432: (0x1C80,),  # в: ᲀ
    0x0434: (0x1C81,),  # д: ᲁ
    0x043E: (0x1C82,),  # о: ᲂ
    0x0441: (0x1C83,),  # с: ᲃ
    0x0442: (0x1C84, 0x1C85),  # т: ᲄ, ᲅ
    0x044A: (0x1C86,),  # ъ: ᲆ
    0x0463: (0x1C87,),  # ѣ: ᲇ
    0x1C80: (0x0432,),  # ᲀ: в
    0x1C81: (0x0434,),  # ᲁ: д
    0x1C82: (0x043E,),  # ᲂ: о
    0x1C83: (0x0441,),  # ᲃ: с
    0x1C84: (0x0442, 0x1C85),  # ᲄ: т, ᲅ
    0x1C85: (0x0442, 0x1C84),  # ᲅ: т, ᲄ
    0x1C86: (0x044A,),  # ᲆ: ъ
    0x1C87: (0x0463,),  # ᲇ: ѣ
    0x1C88: (0xA64B,),  # ᲈ: ꙋ
    0x1E61: (0x1E9B,),  # ṡ: ẛ
    0x1E9B: (0x1E61,),  # ẛ: ṡ
    0x1FBE: (0x0345, 0x03B9),  # ι: U+0345, ι
    0x1FD3: (0x0390,),  # ΐ: ΐ
    0x1FE3: (0x03B0,),  # ΰ: ΰ
    0xA64B: (0x1C88,),  # ꙋ: ᲈ
    0xFB05: (0xFB06,),  # ﬅ: ﬆ
    0xFB06: (0xFB05,),  # ﬆ: ﬅ
}
