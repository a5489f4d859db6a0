//! What the job layer asks of the machine it runs on: cores, the memory this process may
//! still use, peak memory. The core decides with these numbers; only the jobs ask for them.

use std::path::Path;

use wfhsim_core::simulate::Available;

/// Cores this process may use (1 when the platform does not tell).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Memory this process may still use: the least of the machine's free memory, the room
/// left under its address-space limit (`ulimit -v`) and under its control group's memory
/// limit (a container's or a batch job's), with the one that binds; `None` when the
/// platform tells none of them.
pub fn available() -> Option<Available> {
    [free_memory(), address_space_room(), cgroup_room()]
        .into_iter()
        .flatten()
        .min_by_key(|a| a.bytes)
}

/// [`available`] in bytes.
pub fn available_bytes() -> Option<u64> {
    available().map(|a| a.bytes)
}

/// Peak resident memory of this process (Linux `VmHWM`), if the platform tells.
pub fn peak_rss_bytes() -> Option<u64> {
    status_bytes("VmHWM:")
}

/// A line `KEY: N kB` of /proc/self/status, in bytes.
fn status_bytes(key: &str) -> Option<u64> {
    let s = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = s.lines().find(|l| l.starts_with(key))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

/// The machine's free memory (Linux `MemAvailable`).
fn free_memory() -> Option<Available> {
    let s = std::fs::read_to_string("/proc/meminfo").ok()?;
    let l = s.lines().find(|l| l.starts_with("MemAvailable:"))?;
    Some(Available {
        bytes: l.split_whitespace().nth(1)?.parse::<u64>().ok()? * 1024,
        bound: "free memory",
    })
}

/// A run's address space grows by up to this many bytes per byte of memory it uses:
/// glibc keeps freed memory mapped in each thread's arena and the writers map their own
/// (measured 1.6–1.8×, at 100 and 500 replicates: docs/performance.md).
const ADDRESS_SPACE_PER_BYTE: u64 = 2;

/// Room left under the address-space limit (`ulimit -v`): the limit less the address
/// space this process already holds (Linux `VmSize`), halved ([`ADDRESS_SPACE_PER_BYTE`]).
/// Allocation past the limit fails, which would abort the program, so the run is refused
/// before.
#[cfg(unix)]
fn address_space_room() -> Option<Available> {
    let mut lim = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one rlimit into the struct it is given.
    if unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut lim) } != 0
        || lim.rlim_cur == libc::RLIM_INFINITY
    {
        return None;
    }
    let held = status_bytes("VmSize:").unwrap_or(0);
    // rlim_t is u64 on 64-bit targets, narrower on some 32-bit ones.
    #[allow(clippy::unnecessary_cast)]
    let limit = lim.rlim_cur as u64;
    Some(Available {
        bytes: limit.saturating_sub(held) / ADDRESS_SPACE_PER_BYTE,
        bound: "half the room under the address-space limit, ulimit -v",
    })
}

#[cfg(not(unix))]
fn address_space_room() -> Option<Available> {
    None
}

/// Room left under this process's control-group memory limit, the limit less the group's
/// working set (usage less the page cache it may drop): cgroup v2 `memory.max` and
/// `memory.current`, or v1 `memory.limit_in_bytes` and `memory.usage_in_bytes` (Linux).
/// The machine's free memory does not see such a limit; the kernel kills the process
/// when it is passed.
fn cgroup_room() -> Option<Available> {
    let own = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    let room = own.lines().find_map(|line| {
        let mut parts = line.splitn(3, ':');
        let (_, controllers, path) = (parts.next()?, parts.next()?, parts.next()?);
        let path = path.trim_start_matches('/');
        if controllers.is_empty() {
            room_under("/sys/fs/cgroup", path, V2)
        } else if controllers.split(',').any(|c| c == "memory") {
            room_under("/sys/fs/cgroup/memory", path, V1)
        } else {
            None
        }
    })?;
    Some(Available {
        bytes: room,
        bound: "the control group's memory limit",
    })
}

/// The files of one cgroup version: limit, usage, and the memory.stat key of the page
/// cache it may drop.
struct CgroupFiles {
    limit: &'static str,
    usage: &'static str,
    inactive_file: &'static str,
}

const V2: CgroupFiles = CgroupFiles {
    limit: "memory.max",
    usage: "memory.current",
    inactive_file: "inactive_file",
};

const V1: CgroupFiles = CgroupFiles {
    limit: "memory.limit_in_bytes",
    usage: "memory.usage_in_bytes",
    inactive_file: "total_inactive_file",
};

/// The least room of the control group at `path` under `root` and of each group above
/// it (a parent's limit binds its children). A group whose files cannot be read (not
/// mounted, or outside this container's view) or whose limit is "max" (or v1's near-2^63
/// "unlimited") adds no bound.
fn room_under(root: &str, path: &str, files: CgroupFiles) -> Option<u64> {
    let root = Path::new(root);
    let mut dir = root.join(path);
    let mut least: Option<u64> = None;
    loop {
        if let Some(room) = group_room(&dir, &files) {
            least = Some(least.map_or(room, |m| m.min(room)));
        }
        if dir == root || !dir.pop() {
            return least;
        }
    }
}

/// One group's limit less its working set, if it has a limit.
fn group_room(dir: &Path, files: &CgroupFiles) -> Option<u64> {
    let number = |file: &str| -> Option<u64> {
        std::fs::read_to_string(dir.join(file))
            .ok()?
            .trim()
            .parse()
            .ok()
    };
    let limit = number(files.limit).filter(|&l| l < u64::MAX / 2)?;
    let usage = number(files.usage)?;
    let stat = std::fs::read_to_string(dir.join("memory.stat")).unwrap_or_default();
    let cache = stat
        .lines()
        .find_map(|l| l.strip_prefix(files.inactive_file)?.strip_prefix(' '))
        .and_then(|v| v.trim().parse::<u64>().ok())
        .unwrap_or(0);
    Some(limit.saturating_sub(usage.saturating_sub(cache)))
}

/// Hands the memory this process has freed back to the system. glibc keeps freed blocks
/// in the arena of the thread that freed them, and the writers allocate on other threads
/// (polars' pool): without this, the replicate tables freed after simulating stayed in
/// the resident set while the files were made, and the two added up to the run's peak.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn release_free_memory() {
    // SAFETY: malloc_trim only returns unused memory at the top of the heaps and whole
    // free pages inside them to the system; it takes no pointer.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn release_free_memory() {}
