//! Group membership through nested groups, built once for the whole membership graph.
//!
//! Groups that contain each other (a cycle) have the same users: they are one component, found
//! with Tarjan's strongly connected components algorithm (iterative, so that a nesting a hundred
//! thousand groups deep does not exhaust the stack). Between components the graph has no cycle,
//! and a component whose users all come through a single contained component (a group that only
//! holds another group: every link of a nesting chain) shares that component's user set instead
//! of holding a copy. So a chain of any length costs its length once, however many of its groups
//! are asked about; a set of users is built only for a component that adds users of its own or
//! joins several, when it is first asked about, and kept.

use entralint_parser::ObjectId;
use foldhash::{HashMap, HashMapExt};
use std::cell::{Cell, RefCell};
use std::collections::BTreeSet;
use std::rc::Rc;

/// No component.
const NONE: u32 = u32::MAX;

pub struct Groups {
    /// The node of each group id.
    node: HashMap<ObjectId, u32>,
    /// The component of each node.
    component: Vec<u32>,
    /// Per component: the users its groups hold directly.
    own: Vec<Vec<ObjectId>>,
    /// Per component: the components its groups hold, each once.
    children: Vec<Vec<u32>>,
    /// Per component: the component whose users are exactly its users (itself, or the one
    /// contained component all its users come through), or [`NONE`] when it has no users.
    source: Vec<u32>,
    /// The users of the components asked about so far (by source component).
    users: RefCell<Vec<Option<Rc<BTreeSet<ObjectId>>>>>,
    /// Per component: the walk that last visited it (see [`Groups::collect`]).
    visited: RefCell<Vec<u32>>,
    walk: Cell<u32>,
    empty: Rc<BTreeSet<ObjectId>>,
}

impl Groups {
    /// The graph of `members`: each group's direct members, `(id, is_group)`.
    pub fn new(members: &HashMap<ObjectId, Vec<(ObjectId, bool)>>) -> Self {
        let mut node: HashMap<ObjectId, u32> = HashMap::new();
        let id_of = |id: &ObjectId, node: &mut HashMap<ObjectId, u32>| -> u32 {
            let next = u32::try_from(node.len()).expect("fewer than 4 billion groups");
            *node.entry(id.clone()).or_insert(next)
        };
        // Nodes and edges, in a stable order (the map's order does not matter to the result).
        let mut edges: Vec<(u32, u32)> = Vec::new();
        let mut direct: Vec<(u32, &ObjectId)> = Vec::new();
        for (g, list) in members {
            let from = id_of(g, &mut node);
            for (m, is_group) in list {
                if *is_group {
                    let to = id_of(m, &mut node);
                    edges.push((from, to));
                } else {
                    direct.push((from, m));
                }
            }
        }
        let n = node.len();
        let mut start = vec![0usize; n + 1];
        for (from, _) in &edges {
            start[*from as usize + 1] += 1;
        }
        for i in 0..n {
            start[i + 1] += start[i];
        }
        let mut adjacent = vec![0u32; edges.len()];
        let mut fill = start.clone();
        for (from, to) in &edges {
            adjacent[fill[*from as usize]] = *to;
            fill[*from as usize] += 1;
        }
        let out = |v: u32| &adjacent[start[v as usize]..start[v as usize + 1]];
        let component = tarjan(n, out);
        let components = component.iter().map(|c| *c as usize + 1).max().unwrap_or(0);
        let mut own: Vec<Vec<ObjectId>> = vec![Vec::new(); components];
        for (g, user) in direct {
            own[component[g as usize] as usize].push(user.clone());
        }
        for users in &mut own {
            users.sort_unstable();
            users.dedup();
        }
        let mut children: Vec<Vec<u32>> = vec![Vec::new(); components];
        for (from, to) in &edges {
            let (a, b) = (component[*from as usize], component[*to as usize]);
            if a != b {
                children[a as usize].push(b);
            }
        }
        for c in &mut children {
            c.sort_unstable();
            c.dedup();
        }
        // Tarjan numbers a component after every component it reaches: children come first.
        let mut source = vec![NONE; components];
        for c in 0..components {
            let mut only = NONE;
            let mut several = false;
            for &child in &children[c] {
                let s = source[child as usize];
                if s == NONE || s == only {
                    continue;
                }
                if only == NONE {
                    only = s;
                } else {
                    several = true;
                    break;
                }
            }
            source[c] = if !own[c].is_empty() || several {
                c as u32
            } else {
                only
            };
        }
        Groups {
            node,
            component,
            own,
            children,
            source,
            users: RefCell::new(vec![None; components]),
            visited: RefCell::new(vec![NONE; components]),
            walk: Cell::new(0),
            empty: Rc::new(BTreeSet::new()),
        }
    }

    /// The users of the group, through nested groups; none for a group the graph does not hold.
    pub fn users(&self, group: &ObjectId) -> Rc<BTreeSet<ObjectId>> {
        let Some(&v) = self.node.get(group) else {
            return self.empty.clone();
        };
        let source = self.source[self.component[v as usize] as usize];
        if source == NONE {
            return self.empty.clone();
        }
        if let Some(users) = &self.users.borrow()[source as usize] {
            return users.clone();
        }
        let users = Rc::new(self.collect(source));
        self.users.borrow_mut()[source as usize] = Some(users.clone());
        users
    }

    /// The users of several groups, each with the position of the first group in `groups` that
    /// holds it, ordered by that position, then by id. One walk serves every group: a component
    /// reached from an earlier group is not walked again, so the cost is that of the part of the
    /// graph the groups reach, however many of them there are and however deeply they nest.
    pub fn first_holders(&self, groups: &[ObjectId]) -> Vec<(ObjectId, usize)> {
        let walk = self.walk.get().wrapping_add(1);
        self.walk.set(walk);
        let mut visited = self.visited.borrow_mut();
        let mut first: HashMap<&ObjectId, usize> = HashMap::new();
        let mut stack = Vec::new();
        for (i, g) in groups.iter().enumerate() {
            let Some(&v) = self.node.get(g) else {
                continue;
            };
            let c = self.component[v as usize];
            if visited[c as usize] == walk {
                continue;
            }
            visited[c as usize] = walk;
            stack.push(c);
            while let Some(c) = stack.pop() {
                for user in &self.own[c as usize] {
                    first.entry(user).or_insert(i);
                }
                for &child in &self.children[c as usize] {
                    if visited[child as usize] != walk {
                        visited[child as usize] = walk;
                        stack.push(child);
                    }
                }
            }
        }
        let mut out: Vec<(ObjectId, usize)> =
            first.into_iter().map(|(u, i)| (u.clone(), i)).collect();
        out.sort_unstable_by(|(a, i), (b, j)| (i, a).cmp(&(j, b)));
        out
    }

    /// The users of a source component: its own, and those of every component it reaches
    /// (through their sources, taking the sets already built whole).
    fn collect(&self, from: u32) -> BTreeSet<ObjectId> {
        let walk = self.walk.get().wrapping_add(1);
        self.walk.set(walk);
        let mut visited = self.visited.borrow_mut();
        let built = self.users.borrow();
        let mut users = BTreeSet::new();
        let mut stack = vec![from];
        visited[from as usize] = walk;
        while let Some(c) = stack.pop() {
            if c != from {
                if let Some(set) = &built[c as usize] {
                    users.extend(set.iter().cloned());
                    continue;
                }
            }
            users.extend(self.own[c as usize].iter().cloned());
            for &child in &self.children[c as usize] {
                let s = self.source[child as usize];
                if s != NONE && visited[s as usize] != walk {
                    visited[s as usize] = walk;
                    stack.push(s);
                }
            }
        }
        users
    }
}

/// The strongly connected component of each of `n` nodes, numbered so that a component comes
/// after every component it reaches (Tarjan's algorithm, with an explicit stack).
fn tarjan<'a>(n: usize, out: impl Fn(u32) -> &'a [u32]) -> Vec<u32> {
    const UNSEEN: u32 = u32::MAX;
    let mut index = vec![UNSEEN; n];
    let mut low = vec![0u32; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<u32> = Vec::new();
    let mut component = vec![NONE; n];
    let mut next = 0u32;
    let mut components = 0u32;
    let mut calls: Vec<(u32, usize)> = Vec::new();
    for root in 0..n as u32 {
        if index[root as usize] != UNSEEN {
            continue;
        }
        index[root as usize] = next;
        low[root as usize] = next;
        next += 1;
        stack.push(root);
        on_stack[root as usize] = true;
        calls.push((root, 0));
        while let Some(&mut (v, ref mut edge)) = calls.last_mut() {
            let edges = out(v);
            if *edge < edges.len() {
                let w = edges[*edge];
                *edge += 1;
                if index[w as usize] == UNSEEN {
                    index[w as usize] = next;
                    low[w as usize] = next;
                    next += 1;
                    stack.push(w);
                    on_stack[w as usize] = true;
                    calls.push((w, 0));
                } else if on_stack[w as usize] {
                    low[v as usize] = low[v as usize].min(index[w as usize]);
                }
                continue;
            }
            calls.pop();
            if let Some(&(parent, _)) = calls.last() {
                low[parent as usize] = low[parent as usize].min(low[v as usize]);
            }
            if low[v as usize] == index[v as usize] {
                while let Some(w) = stack.pop() {
                    on_stack[w as usize] = false;
                    component[w as usize] = components;
                    if w == v {
                        break;
                    }
                }
                components += 1;
            }
        }
    }
    component
}

#[cfg(test)]
mod tests {
    use super::*;

    fn graph(edges: &[(&str, &[&str])]) -> Groups {
        let members = edges
            .iter()
            .map(|(g, ms)| {
                let list = ms
                    .iter()
                    .map(|m| (ObjectId::new(m), m.starts_with('g')))
                    .collect();
                (ObjectId::new(g), list)
            })
            .collect();
        Groups::new(&members)
    }

    fn users(g: &Groups, id: &str) -> Vec<String> {
        g.users(&ObjectId::new(id))
            .iter()
            .map(|u| u.to_string())
            .collect()
    }

    #[test]
    fn cycles_diamonds_and_chains() {
        let g = graph(&[
            ("g1", &["g2", "u1"]),
            ("g2", &["g3", "g1"]),
            ("g3", &["u3"]),
            ("g4", &["g1", "g5"]),
            ("g5", &["g3", "u5"]),
            ("g6", &["g4"]),
            ("g7", &[]),
        ]);
        assert_eq!(users(&g, "g2"), ["u1", "u3"]);
        assert_eq!(users(&g, "g1"), ["u1", "u3"]);
        assert_eq!(users(&g, "g6"), ["u1", "u3", "u5"]);
        assert_eq!(users(&g, "g4"), ["u1", "u3", "u5"]);
        assert_eq!(users(&g, "g5"), ["u3", "u5"]);
        assert!(users(&g, "g7").is_empty());
        assert!(users(&g, "gx").is_empty());
    }

    #[test]
    fn first_holders_names_the_first_group_of_each_user() {
        let g = graph(&[
            ("g1", &["g2", "u1"]),
            ("g2", &["g3", "g1"]),
            ("g3", &["u3"]),
            ("g4", &["g1", "g5"]),
            ("g5", &["g3", "u5"]),
        ]);
        let ids = |list: &[&str]| list.iter().map(|x| ObjectId::new(x)).collect::<Vec<_>>();
        let got: Vec<(String, usize)> = g
            .first_holders(&ids(&["g5", "gx", "g4", "u9", "g3"]))
            .into_iter()
            .map(|(u, i)| (u.to_string(), i))
            .collect();
        let want = [("u3", 0), ("u5", 0), ("u1", 2)];
        let want: Vec<(String, usize)> = want.iter().map(|(u, i)| (u.to_string(), *i)).collect();
        assert_eq!(got, want);
    }

    /// Each link of a chain shares the set of the link below it.
    #[test]
    fn a_chain_shares_one_set() {
        let ids: Vec<String> = (0..1000).map(|i| format!("g{i}")).collect();
        let mut edges: Vec<(&str, Vec<&str>)> = ids
            .windows(2)
            .map(|w| (w[0].as_str(), vec![w[1].as_str()]))
            .collect();
        edges.push((ids[999].as_str(), vec!["u1"]));
        let edges: Vec<(&str, &[&str])> = edges.iter().map(|(g, m)| (*g, m.as_slice())).collect();
        let g = graph(&edges);
        let top = g.users(&ObjectId::new("g0"));
        let middle = g.users(&ObjectId::new("g500"));
        assert!(Rc::ptr_eq(&top, &middle));
        assert_eq!(users(&g, "g0"), ["u1"]);
    }
}
