//! Link charts: the graph around records, and what analysts compute on it — degree and
//! betweenness centrality, the shortest network connecting chosen records, and a layout that
//! stays readable at a few hundred nodes. Pure: the graph is built by the application from what
//! the reader may see, and nothing here reads more.

use std::collections::{BTreeSet, VecDeque};

/// An undirected graph of `n` nodes given by its edges (indexes; parallel edges allowed).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Topology {
    pub n: usize,
    pub edges: Vec<(usize, usize)>,
}

impl Topology {
    /// Each node's neighbours, once each, in order.
    pub fn adjacency(&self) -> Vec<Vec<usize>> {
        let mut adj: Vec<BTreeSet<usize>> = vec![BTreeSet::new(); self.n];
        for &(a, b) in &self.edges {
            if a != b && a < self.n && b < self.n {
                adj[a].insert(b);
                adj[b].insert(a);
            }
        }
        adj.into_iter().map(|s| s.into_iter().collect()).collect()
    }

    /// The number of distinct neighbours of each node.
    pub fn degree(&self) -> Vec<usize> {
        self.adjacency().iter().map(Vec::len).collect()
    }

    /// Betweenness centrality of each node (Brandes' algorithm, unweighted), normalised to 0–1
    /// by the number of pairs of other nodes: the share of shortest paths between others that
    /// pass through it.
    pub fn betweenness(&self) -> Vec<f64> {
        let adj = self.adjacency();
        let n = self.n;
        let mut cb = vec![0.0f64; n];
        for s in 0..n {
            let mut stack = Vec::with_capacity(n);
            let mut preds: Vec<Vec<usize>> = vec![Vec::new(); n];
            let mut sigma = vec![0.0f64; n];
            let mut dist = vec![-1i64; n];
            sigma[s] = 1.0;
            dist[s] = 0;
            let mut queue = VecDeque::from([s]);
            while let Some(v) = queue.pop_front() {
                stack.push(v);
                for &w in &adj[v] {
                    if dist[w] < 0 {
                        dist[w] = dist[v] + 1;
                        queue.push_back(w);
                    }
                    if dist[w] == dist[v] + 1 {
                        sigma[w] += sigma[v];
                        preds[w].push(v);
                    }
                }
            }
            let mut delta = vec![0.0f64; n];
            while let Some(w) = stack.pop() {
                for &v in &preds[w] {
                    delta[v] += sigma[v] / sigma[w] * (1.0 + delta[w]);
                }
                if w != s {
                    cb[w] += delta[w];
                }
            }
        }
        // Each pair was counted from both ends.
        let pairs = if n > 2 {
            ((n - 1) * (n - 2)) as f64
        } else {
            1.0
        };
        cb.iter().map(|c| c / pairs).collect()
    }

    /// Shortest-path distances from `s` (`None` where unreachable).
    fn distances(adj: &[Vec<usize>], s: usize) -> Vec<Option<usize>> {
        let mut dist = vec![None; adj.len()];
        dist[s] = Some(0);
        let mut queue = VecDeque::from([s]);
        while let Some(v) = queue.pop_front() {
            let d = dist[v].unwrap_or(0);
            for &w in &adj[v] {
                if dist[w].is_none() {
                    dist[w] = Some(d + 1);
                    queue.push_back(w);
                }
            }
        }
        dist
    }

    /// The shortest network connecting `terminals`: every node on some shortest path between
    /// two of them (terminals included). Terminals that reach none of the others stand alone.
    pub fn connecting(&self, terminals: &[usize]) -> BTreeSet<usize> {
        let adj = self.adjacency();
        let terminals: Vec<usize> = terminals.iter().copied().filter(|t| *t < self.n).collect();
        let dists: Vec<Vec<Option<usize>>> = terminals
            .iter()
            .map(|&t| Self::distances(&adj, t))
            .collect();
        let mut out: BTreeSet<usize> = terminals.iter().copied().collect();
        for i in 0..terminals.len() {
            for j in i + 1..terminals.len() {
                let Some(total) = dists[i][terminals[j]] else {
                    continue;
                };
                for (v, (a, b)) in dists[i].iter().zip(&dists[j]).enumerate() {
                    if let (Some(a), Some(b)) = (a, b) {
                        if a + b == total {
                            out.insert(v);
                        }
                    }
                }
            }
        }
        out
    }

    /// Positions in the unit square from a force-directed layout (Fruchterman–Reingold with a
    /// cooling schedule), the same for the same graph: nodes start on a spiral in index order,
    /// so no randomness enters. Components drift apart rather than overlapping.
    pub fn layout(&self) -> Vec<(f64, f64)> {
        let n = self.n;
        if n == 0 {
            return Vec::new();
        }
        if n == 1 {
            return vec![(0.5, 0.5)];
        }
        let adj = self.adjacency();
        let k = (1.0 / n as f64).sqrt();
        let mut pos: Vec<(f64, f64)> = (0..n)
            .map(|i| {
                let r = 0.45 * ((i as f64 + 0.5) / n as f64).sqrt();
                let a = i as f64 * 2.399_963; // the golden angle
                (0.5 + r * a.cos(), 0.5 + r * a.sin())
            })
            .collect();
        let iterations = 250;
        for it in 0..iterations {
            let temperature = 0.1 * (1.0 - it as f64 / iterations as f64) + 0.002;
            let mut disp = vec![(0.0f64, 0.0f64); n];
            for v in 0..n {
                for u in v + 1..n {
                    let (dx, dy) = (pos[v].0 - pos[u].0, pos[v].1 - pos[u].1);
                    let d2 = (dx * dx + dy * dy).max(1e-6);
                    let f = k * k / d2;
                    disp[v].0 += dx * f;
                    disp[v].1 += dy * f;
                    disp[u].0 -= dx * f;
                    disp[u].1 -= dy * f;
                }
            }
            for v in 0..n {
                for &u in adj[v].iter().filter(|&&u| u > v) {
                    let (dx, dy) = (pos[v].0 - pos[u].0, pos[v].1 - pos[u].1);
                    let d = (dx * dx + dy * dy).sqrt().max(1e-3);
                    let f = d / k;
                    disp[v].0 -= dx * f;
                    disp[v].1 -= dy * f;
                    disp[u].0 += dx * f;
                    disp[u].1 += dy * f;
                }
                // A weak pull to the middle keeps separate components in view.
                disp[v].0 += (0.5 - pos[v].0) * 0.05;
                disp[v].1 += (0.5 - pos[v].1) * 0.05;
            }
            for v in 0..n {
                let (dx, dy) = disp[v];
                let len = (dx * dx + dy * dy).sqrt().max(1e-9);
                let step = len.min(temperature);
                pos[v].0 += dx / len * step;
                pos[v].1 += dy / len * step;
            }
        }
        // Fit to the unit square with a margin.
        let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for &(x, y) in &pos {
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
        let (w, h) = ((x1 - x0).max(1e-9), (y1 - y0).max(1e-9));
        pos.iter()
            .map(|&(x, y)| (0.05 + 0.9 * (x - x0) / w, 0.05 + 0.9 * (y - y0) / h))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn path(n: usize) -> Topology {
        Topology {
            n,
            edges: (0..n - 1).map(|i| (i, i + 1)).collect(),
        }
    }

    #[test]
    fn centrality_of_a_star_and_a_path() {
        // A star: the centre lies on every path between leaves.
        let star = Topology {
            n: 5,
            edges: vec![(0, 1), (0, 2), (0, 3), (0, 4), (1, 0)],
        };
        assert_eq!(star.degree(), [4, 1, 1, 1, 1]);
        let b = star.betweenness();
        assert!(
            (b[0] - 1.0).abs() < 1e-9 && b[1..].iter().all(|x| *x == 0.0),
            "{b:?}"
        );
        // A path of five: the middle carries 4 of the 6 pairs of the others, its neighbours 3.
        let b = path(5).betweenness();
        let want = [0.0, 0.5, 4.0 / 6.0, 0.5, 0.0];
        assert!(
            b.iter().zip(want).all(|(x, y)| (x - y).abs() < 1e-9),
            "{b:?}"
        );
    }

    #[test]
    fn the_connecting_network_takes_every_shortest_path() {
        // 0-1-2-3 and 0-4-5-3 (two shortest paths 0→3), and a dangling 6 off 1.
        let g = Topology {
            n: 8,
            edges: vec![(0, 1), (1, 2), (2, 3), (0, 4), (4, 5), (5, 3), (1, 6)],
        };
        assert_eq!(g.connecting(&[0, 3]), BTreeSet::from([0, 1, 2, 3, 4, 5]));
        // An unreachable terminal stands alone.
        assert_eq!(g.connecting(&[0, 7]), BTreeSet::from([0, 7]));
        assert_eq!(g.connecting(&[2, 6]), BTreeSet::from([1, 2, 6]));
    }

    #[test]
    fn layout_is_deterministic_and_spreads_nodes() {
        let g = Topology {
            n: 200,
            edges: (1..200).map(|i| (i, i / 3)).collect(),
        };
        let a = g.layout();
        assert_eq!(a, g.layout());
        assert!(a
            .iter()
            .all(|&(x, y)| (0.0..=1.0).contains(&x) && (0.0..=1.0).contains(&y)));
        // Readable: few nodes sit on top of one another.
        let mut close = 0;
        for i in 0..a.len() {
            for j in i + 1..a.len() {
                let (dx, dy) = (a[i].0 - a[j].0, a[i].1 - a[j].1);
                if (dx * dx + dy * dy).sqrt() < 0.01 {
                    close += 1;
                }
            }
        }
        assert!(close < 10, "{close} pairs of nodes overlap");
    }
}
