"""`rtlgen init NAME`: a new design folder with a spec and a golden model to edit (jinja2 templates)."""
from __future__ import annotations

import re
from pathlib import Path

import click

from rtlgen.templating import template_env

TEMPLATES = Path(__file__).parent / "templates" / "init"
FILES = {"spec.md": "spec.md.j2", "model.py": "model.py.j2"}


def scaffold(folder: Path, *, width: int = 8, force: bool = False) -> list[Path]:
    """Write ``folder``/spec.md and ``folder``/model.py for a design named after the folder; returns the files."""
    top = folder.resolve().name
    if not re.fullmatch(r"[A-Za-z_]\w*", top):
        raise click.BadParameter(f"'{top}' is not a Verilog module name (letters, digits, _; not starting with a digit)",
                                 param_hint="NAME")
    targets = [folder / name for name in FILES]
    existing = [str(t) for t in targets if t.exists()]
    if existing and not force:
        raise click.UsageError(f"{', '.join(existing)} already exist(s); pass --force to overwrite")
    folder.mkdir(parents=True, exist_ok=True)
    env = template_env(TEMPLATES)
    for target, template in zip(targets, FILES.values()):
        target.write_text(env.get_template(template).render(top=top, width=width))
    return targets


@click.command("init")
@click.argument("name", type=click.Path(file_okay=False, path_type=Path))
@click.option("--width", type=click.IntRange(1, 1024), default=8, show_default=True, help="Data width of the template.")
@click.option("--force", is_flag=True, help="Overwrite spec.md and model.py if they exist.")
def init(name: Path, width: int, force: bool) -> None:
    """Create NAME/spec.md (front matter + prose template) and NAME/model.py (golden model skeleton)."""
    files = scaffold(name, width=width, force=force)
    top = name.resolve().name
    click.echo("wrote " + ", ".join(str(f) for f in files))
    click.echo(f"""next:
  edit {files[0]} (interface and behaviour) and {files[1]} (the golden model)
  rtlgen {files[0]} --out out/{top}                        # generate + verify + synthesize (needs an LLM endpoint)
  rtlgen verify {name / (top + '.v')} --spec {files[0]}        # verify RTL you wrote
  rtlgen synth {name / (top + '.v')} --liberty sky130            # area, timing, power""")
