//! `about.csv`: what a dataset says about itself in words — the name of its whole study
//! area (the region "all" of the tables) and the source note printed under every chart —
//! so that another dataset carries its own, and a run folder records it.

use super::DataError;
use super::csv::Table;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct About {
    /// Name of the whole study area, e.g. "Jabodetabek".
    pub area_name: String,
    /// Where the numbers come from, printed under every chart.
    pub source_note: String,
    /// What the emission inventory that road results are compared with covers, printed
    /// with every inventory share.
    pub inventory_note: String,
}

const KEYS: [&str; 3] = ["area_name", "source_note", "inventory_note"];

pub fn read(t: &Table) -> Result<About, DataError> {
    let col = t.columns(&["key", "value"])?;
    let mut values: [Option<String>; 3] = [None, None, None];
    for r in &t.rows {
        let key = r.fields[col[0]].as_str();
        let value = r.fields[col[1]].trim();
        let bad = |message: String| DataError::BadValue {
            file: t.file.clone(),
            line: r.line,
            column: "key".into(),
            message,
        };
        let Some(i) = KEYS.iter().position(|k| *k == key) else {
            return Err(bad(format!("'{key}' is not one of {}", KEYS.join(", "))));
        };
        if values[i].is_some() {
            return Err(bad(format!("'{key}' is given twice")));
        }
        if value.is_empty() {
            return Err(DataError::BadValue {
                file: t.file.clone(),
                line: r.line,
                column: "value".into(),
                message: format!("'{key}' is empty; write a short text"),
            });
        }
        values[i] = Some(value.to_string());
    }
    let [area_name, source_note, inventory_note] = values;
    let missing = |k: &str| DataError::Invalid {
        at: t.file.clone(),
        message: format!("no row for '{k}'; add one (key,value)"),
    };
    Ok(About {
        area_name: area_name.ok_or_else(|| missing(KEYS[0]))?,
        source_note: source_note.ok_or_else(|| missing(KEYS[1]))?,
        inventory_note: inventory_note.ok_or_else(|| missing(KEYS[2]))?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn about(text: &str) -> Result<About, DataError> {
        read(&Table::parse("about.csv", text)?)
    }

    #[test]
    fn reads_every_key_and_names_what_is_wrong() {
        let a = about(
            "key,value\narea_name,Metro\nsource_note,\"Data: X, Y\"\ninventory_note,Inventory Z\n",
        )
        .unwrap();
        assert_eq!(a.area_name, "Metro");
        assert_eq!(a.source_note, "Data: X, Y");
        assert_eq!(a.inventory_note, "Inventory Z");
        assert_eq!(
            about("key,value\narea_name,Metro\nsource_note,x\n")
                .unwrap_err()
                .to_string(),
            "about.csv: no row for 'inventory_note'; add one (key,value)"
        );
        assert_eq!(
            about("key,value\narea_name,Metro\n")
                .unwrap_err()
                .to_string(),
            "about.csv: no row for 'source_note'; add one (key,value)"
        );
        assert_eq!(
            about("key,value\narea,Metro\n").unwrap_err().to_string(),
            "about.csv:2: column 'key': 'area' is not one of area_name, source_note, inventory_note"
        );
        assert_eq!(
            about("key,value\narea_name,\nsource_note,x\n")
                .unwrap_err()
                .to_string(),
            "about.csv:2: column 'value': 'area_name' is empty; write a short text"
        );
    }
}
