/// The console's one stylesheet: readable on a 360-px phone in the sun, dense enough on a desk.
enum Stylesheet {
    static let text = """
        :root { --ink:#1d2733; --muted:#5b6775; --line:#d8dee6; --accent:#b3261e; --ok:#1e6b3a; --warn:#8a5a00; --bg:#f6f7f9; }
        * { box-sizing: border-box; }
        body { margin:0; font: 16px/1.5 "Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", system-ui, sans-serif; color:var(--ink); background:var(--bg); }
        header { display:flex; justify-content:space-between; align-items:center; padding:.6rem 1rem; background:var(--accent); color:#fff; }
        header a { color:#fff; text-decoration:none; } .brand { font-weight:700; font-size:1.15rem; letter-spacing:.1em; }
        nav { display:flex; flex-wrap:wrap; gap:.25rem .9rem; align-items:center; padding:.5rem 1rem; background:#fff; border-bottom:1px solid var(--line); }
        nav a { color:var(--ink); text-decoration:none; } nav a[aria-current] { font-weight:700; border-bottom:2px solid var(--accent); }
        nav .who { margin-left:auto; color:var(--muted); font-size:.85rem; }
        main { padding:1rem; max-width:1100px; margin:0 auto; } h1 { font-size:1.35rem; margin:.2rem 0 1rem; } h2 { font-size:1.1rem; margin:1.4rem 0 .5rem; }
        .card { background:#fff; border:1px solid var(--line); border-radius:8px; padding:1rem; margin:0 0 1rem; }
        label { display:block; margin:.5rem 0; font-weight:600; } input, select, textarea { display:block; width:100%; font:inherit; padding:.55rem; margin-top:.2rem; border:1px solid #aab4c0; border-radius:6px; background:#fff; }
        input[type=checkbox] { display:inline; width:auto; }
        fieldset { border:1px solid var(--line); border-radius:6px; margin:.6rem 0; padding:.4rem .75rem; } legend { color:var(--muted); font-size:.9rem; }
        button { font:inherit; padding:.55rem 1rem; border:0; border-radius:6px; background:var(--accent); color:#fff; cursor:pointer; min-height:44px; }
        button.secondary { background:#e9edf2; color:var(--ink); } button.link { background:none; color:var(--muted); padding:0; min-height:0; text-decoration:underline; }
        form.inline { display:inline; }
        table { width:100%; border-collapse:collapse; background:#fff; } th, td { text-align:left; padding:.45rem .5rem; border-bottom:1px solid var(--line); vertical-align:top; }
        th { font-size:.85rem; color:var(--muted); font-weight:600; }
        .error { color:var(--accent); font-weight:600; } .hint, .muted { color:var(--muted); font-size:.9rem; } .ok { color:var(--ok); }
        .badge { display:inline-block; padding:0 .45rem; border-radius:999px; font-size:.8rem; background:#e9edf2; }
        .badge.sealed { background:#fde2e0; color:var(--accent); } .badge.controlled { background:#fff0d6; color:var(--warn); } .badge.precaution { background:#e3f2e8; color:var(--ok); }
        .numbers { display:grid; grid-template-columns:repeat(auto-fit, minmax(150px, 1fr)); gap:.75rem; }
        .number { background:#fff; border:1px solid var(--line); border-radius:8px; padding:.75rem; } .number b { display:block; font-size:1.8rem; }
        .columns { display:grid; grid-template-columns:repeat(auto-fit, minmax(240px, 1fr)); gap:.75rem; }
        .lane { background:#fff; border:1px solid var(--line); border-radius:8px; padding:.5rem; } .lane h2 { margin:.2rem 0 .5rem; }
        .item { border-top:1px solid var(--line); padding:.4rem 0; font-size:.95rem; }
        .late { color:var(--accent); font-weight:600; }
        svg.chart { width:100%; height:auto; background:#fff; border:1px solid var(--line); border-radius:8px; }
        .qr { width:200px; height:200px; } .qr svg, .qr img { width:200px; height:200px; }
        .link-box { word-break:break-all; font-family:monospace; background:#fff; border:1px dashed var(--line); padding:.5rem; }
        @media (max-width: 600px) { table.wide thead { display:none; } table.wide td { display:block; border:0; padding:.15rem .5rem; } table.wide tr { display:block; border-bottom:1px solid var(--line); padding:.4rem 0; } }
        """
}
