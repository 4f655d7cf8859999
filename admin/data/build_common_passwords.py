"""Build common-passwords.txt: the 10,000 most common passwords, most common first.

Source: the list Django ships as django/contrib/auth/common-passwords.txt.gz (BSD licence),
"20000 common passwords (unhexed, lowercased and deduplicated), created by Royce Williams"
(https://gist.github.com/roycewilliams/226886fd01572964e1431ac8afc999ce), ordered by
frequency. We take its first 10,000 lines. Run offline from a downloaded Django wheel:

    pip download --no-deps django -d /tmp/dj
    python admin/data/build_common_passwords.py /tmp/dj/django-*.whl
"""

import gzip
import sys
import zipfile
from pathlib import Path

MEMBER = "django/contrib/auth/common-passwords.txt.gz"
COUNT = 10_000


def main(wheel: str) -> None:
    """Write the first COUNT passwords of Django's list next to this script."""
    with zipfile.ZipFile(wheel) as z:
        lines = gzip.decompress(z.read(MEMBER)).decode("utf-8").splitlines()
    words = [w.strip() for w in lines if w.strip()][:COUNT]
    header = (
        f"# The {COUNT:,} most common passwords, most common first, lowercased.\n"
        f"# Source: {MEMBER} in {Path(wheel).name} (Royce Williams's list, BSD licence).\n"
        "# Regenerate with admin/data/build_common_passwords.py.\n"
    )
    out = Path(__file__).with_name("common-passwords.txt")
    out.write_text(header + "\n".join(words) + "\n", encoding="utf-8")
    print(f"wrote {len(words)} passwords to {out}")


if __name__ == "__main__":
    main(sys.argv[1])
