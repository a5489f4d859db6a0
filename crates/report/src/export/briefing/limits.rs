//! What a briefing template may do: how much work one page may take (the template engine's
//! fuel) and how large the page may be. A template comes from outside (an agency restyles
//! the briefing with `--template`), so a loop nested too deep or a text doubled in a loop
//! must stop with a message, not run for hours or exhaust memory. Documented in
//! docs/briefing.md.

use std::io::Write;

/// The most work one page may take, in the engine's fuel: about one unit per instruction
/// and one per 64 bytes of text the template creates or writes. The shipped template
/// uses about 30,000 for the default study in both languages with a sweep's sensitivity
/// section; 2,000,000 is well under a second of work and bounds what a template can
/// allocate to about 128 MB.
pub const FUEL: u64 = 2_000_000;

/// The most bytes a briefing may have (64 MiB). The shipped page is about 0.2 MB with
/// its charts.
pub const MAX_PAGE_BYTES: usize = 64 * 1024 * 1024;

/// The page as it is written, refusing to grow past [`MAX_PAGE_BYTES`].
#[derive(Debug, Default)]
pub struct Page {
    pub bytes: Vec<u8>,
    /// Set when a write would have passed the limit.
    pub too_large: bool,
}

impl Write for Page {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.bytes.len() + buf.len() > MAX_PAGE_BYTES {
            self.too_large = true;
            return Err(std::io::Error::other("the page is too large"));
        }
        self.bytes.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Why a render stopped at a limit, in the user's words; `None` for any other error.
pub fn explain(e: &minijinja::Error, page: &Page) -> Option<String> {
    if page.too_large {
        return Some(format!(
            "the page would be larger than {} MiB, the most a briefing may have: a loop that writes too much",
            MAX_PAGE_BYTES / (1024 * 1024)
        ));
    }
    (e.kind() == minijinja::ErrorKind::OutOfFuel).then(|| {
        format!(
            "the template did more work than a briefing may take (a budget of {FUEL} steps): a loop that runs too often, or a text that keeps growing"
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_refuses_to_grow_past_its_limit_and_says_so() {
        let mut page = Page::default();
        page.write_all(&vec![b'x'; MAX_PAGE_BYTES]).unwrap();
        assert!(!page.too_large);
        assert!(page.write_all(b"y").is_err());
        assert!(page.too_large);
        assert_eq!(page.bytes.len(), MAX_PAGE_BYTES);
    }
}
