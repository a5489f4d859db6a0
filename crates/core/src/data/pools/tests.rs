use super::*;

fn builtin() -> Dataset {
    Dataset::builtin().unwrap()
}

fn jobs_of(ds: &Dataset, employer: &str) -> f64 {
    let e = ds.employer_index(employer).unwrap();
    let ne = ds.employers.len();
    (0..ds.n_regions()).map(|w| ds.jobs[w * ne + e]).sum()
}

fn row(ds: &Dataset, key: &str) -> (f64, f64, f64) {
    ds.params.param(key).unwrap().range()
}

#[test]
fn the_dataset_offers_two_pool_definitions() {
    let pools = builtin().pools();
    let names: Vec<&str> = pools.keys().map(String::as_str).collect();
    assert_eq!(names, ["central_hq", "dki_regular_hours"]);
    assert_eq!(pools["dki_regular_hours"].len(), 3);
    assert_eq!(pools["central_hq"].len(), 5);
}

/// Dishub's 23,343 of DKI's 58,109 ASN: the four office roles sum to 23343 / 58109.
#[test]
fn dishubs_pool_replaces_the_office_roles_with_their_source() {
    let ds = builtin().with_pools(&["dki_regular_hours".into()]).unwrap();
    assert_eq!(
        row(&ds, "role_share.dki.administrative"),
        (0.354090, 0.362129, 0.362129)
    );
    let office: f64 = [
        "treasurer",
        "supervisor",
        "activity_leader",
        "administrative",
    ]
    .iter()
    .map(|r| row(&ds, &format!("role_share.dki.{r}")).1)
    .sum();
    // The rows carry six decimals: 0.401714 against 0.4017106.
    assert!((office - 23343.0 / 58109.0).abs() < 1e-5, "{office}");
    let p = ds.params.param("role_share.dki.administrative").unwrap();
    assert!(
        p.note
            .starts_with("--pool dki_regular_hours: Dishub's 23343")
    );
    assert_ne!(ds.hash(), builtin().hash());
}

/// Headquarters only: 70,838 fewer central-agency jobs, which the derivation gives back
/// to private formal firms (formal jobs minus public ones), the total unchanged.
#[test]
fn the_headquarters_pool_gives_its_jobs_back_to_private_firms() {
    let (base, hq) = (
        builtin(),
        builtin().with_pools(&["central_hq".into()]).unwrap(),
    );
    let moved = 192_592.0 - 121_754.0;
    assert!((jobs_of(&base, "central") - jobs_of(&hq, "central") - moved).abs() < 1e-6);
    let gained = jobs_of(&hq, "private_formal") - jobs_of(&base, "private_formal");
    assert!((gained - moved).abs() < 1e-6, "{gained}");
    let total = |d: &Dataset| d.jobs.iter().sum::<f64>();
    assert!((total(&hq) - total(&base)).abs() < 1e-6 * total(&base));
    assert_eq!(row(&hq, "role_share.central.administrative").1, 0.78);
}

#[test]
fn an_unknown_definition_is_refused_with_the_ones_there_are() {
    let err = builtin().with_pools(&["hq".into()]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "--pool hq: the dataset has no such definition; it has central_hq, dki_regular_hours"
    );
}

#[test]
fn no_definition_leaves_the_dataset_as_it_is() {
    assert_eq!(builtin().with_pools(&[]).unwrap().hash(), builtin().hash());
}
