import briefing


def test_all_exports_exist() -> None:
    for name in briefing.__all__:
        assert hasattr(briefing, name), name


def test_public_surface_is_curated() -> None:
    public = {n for n in dir(briefing) if not n.startswith("_")}
    modules = {
        "cli",
        "engines",
        "errors",
        "pipeline",
        "schemas",
        "transcript",
        "grounding",
        "render",
        "store",
        "deliver",
        "prompts",
        "config",
        "generate",
    }
    assert public - modules <= set(briefing.__all__)
