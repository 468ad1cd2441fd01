//! The state graph as Graphviz DOT (`dot -Tsvg`): states as small circles,
//! the states where runs end as boxes with the outcome's values, race
//! outcomes in red, and the witnesses of race outcomes in bold. The graph
//! comes drawn already, one-way runs collapsed ([`Picture`], made by
//! `analysis::graph`); this only writes it out.

pub use crate::analysis::graph::{Edge, Node, Picture};
use petgraph::dot::{Config, Dot};
use petgraph::graph::{DiGraph, NodeIndex};

/// The picture as Graphviz DOT.
pub fn to_dot(picture: &Picture) -> String {
    let mut drawn: DiGraph<Node, Edge> = DiGraph::new();
    for n in &picture.nodes {
        drawn.add_node(n.clone());
    }
    for e in &picture.edges {
        drawn.add_edge(NodeIndex::new(e.from), NodeIndex::new(e.to), e.clone());
    }
    let edge_attr = |_, e: petgraph::graph::EdgeReference<'_, Edge, u32>| {
        let w = e.weight();
        let label = if w.steps == 1 {
            w.label.clone()
        } else {
            format!("{} … ({} steps)", w.label, w.steps)
        };
        let bold = if w.bold {
            ", penwidth=3, style=bold"
        } else {
            ""
        };
        format!("label=\"{}\", fontsize=9{bold}", label.replace('"', "\\\""))
    };
    let node_attr = |_, (_, node): (NodeIndex<u32>, &Node)| match node {
        Node::Start => "shape=circle, label=\"start\"".to_string(),
        Node::Plain => "shape=circle, width=0.15, label=\"\"".to_string(),
        Node::End { label, race } => {
            let color = if *race {
                ", color=red, fontcolor=red, penwidth=2"
            } else {
                ""
            };
            format!(
                "shape=box, label=\"{}\"{}",
                label.replace('"', "\\\""),
                color
            )
        }
    };
    let dot = Dot::with_attr_getters(
        &drawn,
        &[Config::EdgeNoLabel, Config::NodeNoLabel],
        &edge_attr,
        &node_attr,
    );
    format!("{dot:?}")
}
