//! The examples and exit statuses each command's `--help` ends with (`args`).

pub(super) const AFTER_HELP: &str = "\
Examples:
  # the default study: every shipped scenario, full scale
  wfhsim run
  wfhsim run --scale 0.05 --replicates 10 --name quick
  wfhsim run scenarios/dki-2023.toml scenarios/dki-2023-50-only.toml \\
      --name dki-50-vs-75
  wfhsim validate scenarios/*.toml
  # redraw the charts of a finished run
  wfhsim plot output/study
  # the briefing (briefing.html, briefing.xlsx) in English or both languages
  wfhsim run --lang en --name study-en
  wfhsim report output/study --lang both
  # the built-in dataset with its sources; a copy to edit, then run --data
  wfhsim data
  wfhsim data --export my-data
  # what moves an effect, and what it would take (wfhsim sweep --help)
  wfhsim sweep scenarios/sweeps/dki-2023-tornado.toml
  wfhsim target scenarios/sweeps/private-share-for-1pct.toml
  # what changed between two runs (wfhsim diff --help)
  wfhsim diff output/study output/quick
  # a new scenario file extending a shipped one; the schema editors read
  wfhsim new my-variant --from dki-2023
  wfhsim schema --out scenarios/scenario.schema.json
  # what-if answers over HTTP on 127.0.0.1:8080 (wfhsim serve --help)
  wfhsim serve

Exit status: 0 success; 1 failure while running or writing results; 2 invalid arguments, scenario file, dataset or output folder (nothing was written); 130 interrupted by Ctrl-C or SIGTERM/SIGHUP (the unfinished run folder is removed).";

pub(super) const SWEEP_HELP: &str = "\
Examples:
  # a tornado of the DKI 2023 order: writes output/dki-2023-tornado/
  wfhsim sweep scenarios/sweeps/dki-2023-tornado.toml
  wfhsim sweep scenarios/sweeps/private-share-compliance.toml \\
      --scale 0.1 --name quick
  # one shard of eight (run all eight, then merge)
  wfhsim sweep DESIGN.toml --name big --shard 2/8
  # the shard of a Slurm job-array task
  wfhsim sweep DESIGN.toml --name big --shard-from-env slurm
  # merge the shards into the sweep's outputs
  wfhsim sweep merge output/big
  # the private share that avoids 1% of commuter trips
  wfhsim target scenarios/sweeps/private-share-for-1pct.toml

A sweep writes design.parquet (points), experiments.parquet (point x scenario x replicate: factors and outcomes), points.parquet (p05/p50/p95 per point), tornado.csv or sobol.csv, and charts/<scenario>/. Design files: docs/sweeps.md. Shards, Slurm and Kubernetes: docs/scale-out.md.

Exit status: 0 success (also a shard that was already complete for the same request); 1 a failure that may succeed on retry (writing, memory, a shard or merge that another process finished meanwhile); 2 bad input, do not retry (design, option, a complete shard made for another request, shards from different sweeps or with rows not theirs, missing shards at merge, finished results without --force); 130 interrupted (no half-written folder).";

pub(super) const TARGET_HELP: &str = "\
Examples:
  # the private share that avoids 1% of commuter trips (60 replicates, the design's)
  wfhsim target scenarios/sweeps/private-share-for-1pct.toml
  # a quick look at a small scale (too few replicates for the 90% interval: a warning)
  wfhsim target scenarios/sweeps/private-share-for-1pct.toml --scale 0.05 --replicates 20

Each replicate's crossing of the level is interpolated between the settings evaluated (the curve, then the brackets the answer reads halved to the tolerance); the answer is the median of the crossings and the setting by which the design's share of replicates have crossed, each with a distribution-free 95% interval (order statistics of the crossings: the answer's Monte Carlo error, which the tolerance does not measure). A 90% setting needs 36 replicates or more for an upper end. Writes target.csv (settings, intervals, replicates outside the range, curves not monotone), crossings.csv (per replicate), experiments.parquet of every setting evaluated and the response chart. docs/sweeps.md.

Exit status: 0 success; 1 a failure that may succeed on retry (writing, memory); 2 bad input, do not retry (design, option, --shard); 130 interrupted (no half-written folder).";

pub(super) const EVALUATE_HELP: &str = "\
Examples:
  # Jakarta's workplace visits (Google) around the 2020 restrictions
  wfhsim evaluate examples/data/google-cmr-jakarta-daily.csv \\
      --column workplaces_pct --window 2020-03-16..2020-03-22 \\
      --window 2020-03-23..2020-04-09 --window 2020-04-10..2020-06-04 \\
      --quantity mobility --name cmr-psbb-i
  # PM2.5 at the US Embassy monitors over PSBB I (long layout: a site column)
  wfhsim evaluate examples/data/us-embassy-pm25-jakarta-daily.csv \\
      --column pm25_ugm3 --window 2020-04-10..2020-06-04 --quantity pm25 \\
      --name pm25-psbb-i
  # daily counts against the 2023 order, beside the run's simulated change
  wfhsim evaluate counts.csv --window-from output/study --scenario dki-2023 \\
      --days working --quantity counts --run output/study --name counts-2023
  # against a control series (difference-in-differences), or three or more
  # untreated series (synthetic control)
  wfhsim evaluate treated.csv --control untreated.csv \\
      --window 2023-08-21..2023-10-21

The series: CSV or Parquet with a date column (YYYY-MM-DD) and one value column per site, or a site column and one value column. A missing day is a gap the AR(1) errors span; a date given twice, a cell that is not a number, a window outside the series, too few days before it or a constant series is refused, naming the file, line and column. Writes OUT/NAME/: evaluation.csv/.parquet (one row per site, method and window), evaluation_days.csv/.parquet, charts/, briefing.html, briefing.xlsx, manifest.json. Add it to a run's briefing with `wfhsim report RUN --evaluation OUT/NAME`.

Exit status: 0 success; 1 failure while writing; 2 bad input (series, window, option, dataset, run folder; nothing was written); 130 interrupted.";

pub(super) const ACTIVITY_HELP: &str = "\
Examples:
  # PSBB I's shopping and business trips from Google's Jakarta series, a
  # measure a week, appended to a scenario file
  wfhsim activity examples/data/google-cmr-jakarta-daily.csv \\
      --window 2020-04-10..2020-06-04 \\
      --purpose shopping_leisure=retail_and_recreation_pct+grocery_and_pharmacy_pct \\
      --purpose business=workplaces_pct >> my-psbb.toml
  # one measure for the whole window
  wfhsim activity examples/data/google-cmr-jakarta-daily.csv \\
      --window 2021-07-03..2021-07-20 --by window \\
      --purpose shopping_leisure=retail_and_recreation_pct

The rule: a purpose's factor is 1 + the mean over the weekdays of the chunk of the mean of its columns (% change against normal) / 100, capped to 0..1. The measures share one name, so a bundle's decomposition counts them as one part. The series: CSV or Parquet with a date column (YYYY-MM-DD) and one column per category.

Exit status: 0 success; 2 bad input (series, window, purpose, column).";

pub(super) const REPORT_HELP: &str = "\
Examples:
  # the default study's briefing in English, then in both languages
  wfhsim report output/study --lang en
  wfhsim report output/study --lang both
  # restyled by an agency: a copy of assets/briefing.html.j2, edited
  wfhsim report output/study --template my-briefing.html.j2
  # with what moves the effect: a tornado sweep's results
  wfhsim report output/study --sweep output/dki-2023-tornado
  # with what an observed series says the order did (wfhsim evaluate --help)
  wfhsim report output/study --evaluation output/cmr-workplaces

Before anything is written the folder is checked: every table against the SHA-256 its manifest.json records and against run.json (dates in the period, finite values, ordered bands, known scenarios, each key once); --sweep only with a sweep of the run's dataset, version and scenarios (another seed, scale, replicates or uncertainty: a warning). docs/run-folders.md.

Exit status: 0 success; 1 failure while writing; 2 not a run folder, a damaged or changed one, a run from another version of wfhsim, a sweep that is not the run's, an evaluation folder that is missing, changed or of another version, or a template that does not read or that passes its limits of work or size (nothing was written); 130 interrupted (the old briefing is left as it was).";

pub(super) const DIFF_HELP: &str = "\
Examples:
  wfhsim diff output/study output/quick
  # every row of one region, as CSV
  wfhsim diff output/study output/quick --region kota_bogor --all --format csv

Rows: by default the whole area (region basis all) and DKI's roads and cordon (the dki_* bases); --region CODE: the rows of one region (all, dki or a region code) on every basis; --all-regions: every row; --metric NAME: one metric's rows. Values are per policy working day: the p50 of A and B, Δ = B - A, Δ% = Δ / |A| (n/a when A is 0), and the band of the difference d = B - A from each run's replicates.parquet (each run's totals over its own window's working days): d's p05, p50, p95 and P(B>A), the share of differences with B above A. Paired when both runs have the same dataset, seed, scale, replicates and uncertainty (common random numbers: replicate r of both drew the same inputs, so d = B_r - A_r replicate by replicate); otherwise independent runs, compared over every pair B_j - A_i (ties count for neither side). The output says which, and which inputs differ. A run without replicates.parquet (written before wfhsim kept it) is compared without d (n/a), saying so. Rows are never judged by whether two bands overlap. A row is shown when it changed, |Δ| > --tolerance x |A| (default 0: any difference at full precision); --all shows every row. Then, for each common scenario whose SHA-256 differs, the settings that differ (run.json keeps them); and the scenarios only one run has. Warnings go to stderr (JSON: \"warnings\") when the dataset, seed, scale, replicates, uncertainty or wfhsim version differ. csv prints the rows only (the rest goes to stderr); json prints everything, keys in a fixed order.

Both folders are checked first, as plot and report check them: every table against the SHA-256 its manifest.json records and against run.json (docs/run-folders.md). A value that is not a finite number counts as changed whichever run is A.

Exit status: 0 compared, with or without differences; 2 a folder does not exist, is not a finished run, is damaged or was changed after it was written, or a bad option (nothing compared).";

pub(super) const NEW_HELP: &str = "\
Examples:
  wfhsim new my-variant --from dki-2023
  # into scenarios/, extending a file there
  wfhsim new dki-60 --from scenarios/dki-2023.toml --out scenarios/

The file extends its base and changes nothing yet: it validates and runs as the base does. The keys planners usually change (period, accounting, the first policy's schedule, compliance, exemptions, assignment, share rule and base, employers and regions) are written as comments with the base's values and what they allow. So are the base's measures, as [[measure]] tables: uncommented together, they replace the base's measures with an editable copy of them. A base without measures gets a commented example of each kind instead (school_closure, activity_limit, road_closure, and attendance for an employer none of its policies covers), in force in the first week of its period. The file's first line is #:schema with the relative path to a scenario.schema.json found in its folder, or scenarios/scenario.schema.json in it or a folder above (editors check the file against it); none is written when there is none.

Exit status: 0 written; 2 a bad name, an unknown base, or the file exists (pass --force).";

pub(super) const SERVE_HELP: &str = "\
Examples:
  # the what-if page and its API on http://127.0.0.1:8080, full scale (the
  # population built once): open the address in a browser
  wfhsim serve
  # a quicker server at a twentieth of the workforce, English answers by default
  wfhsim serve --scale 0.05 --lang en
  # then, from another terminal:
  curl http://127.0.0.1:8080/api/scenarios
  curl -H 'Content-Type: application/toml' \\
      --data-binary @scenarios/dki-2023.toml \\
      'http://127.0.0.1:8080/api/run?replicates=30&lang=en'
  # the same job as server-sent events: answers at 1, 10 and 100 replicates
  curl -N -H 'Content-Type: application/toml' \\
      --data-binary @scenarios/dki-2023.toml \\
      'http://127.0.0.1:8080/api/run/stream?replicates=100'
  # a scenario with one edit, as a file `wfhsim run` reads
  curl -H 'Content-Type: application/json' \\
      -d '{\"toml\": \"schema_version = 1\\nextends = \\\"dki-2023\\\"\\nname = \\\"a\\\"\",
      \"set\": [[\"policy.1.share\", 0.3]]}' http://127.0.0.1:8080/api/scenario
  # reachable from the other machines of a meeting's network (a warning)
  wfhsim serve --bind 0.0.0.0:8080

The page (GET /, in Indonesian or English with ?lang=id|en) starts from a shipped scenario; each edit is checked and run at once, the band filling in from 1 to 10 to the replicates chosen, beside the scenario it started from; it downloads the edited scenario as a file and its briefing.html/.xlsx. It loads nothing from elsewhere and uses only the API.

Endpoints: GET /api/info, GET /api/scenarios, POST /api/scenario (a scenario and edits of its keys, JSON), POST /api/run, POST /api/run/stream, POST /api/briefing?format=html|xlsx. A request's body is a scenario's TOML (Content-Type application/toml, at most 64 KiB), read as `wfhsim run` reads a file; it may extend a shipped scenario by name, never a file. replicates=1 to 100 (default 30), lang=id or en; one job runs at a time and four may wait (more: 503). An answer's summary rows are summary.csv's: the numbers `wfhsim run` writes for the same scenario, seed, scale and replicates. A client that leaves stops its job. Nothing is written to disk. docs/serve.md.

Exit status: 2 a bad option or dataset, or an address that cannot be bound (in use, not this machine's); 1 the server could not start; 130 stopped with Ctrl-C, SIGTERM or SIGHUP.";
