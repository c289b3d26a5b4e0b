//! Authentication strengths: resolution by id and classification by `allowedCombinations`
//! (never by display name).

use entralint_parser::builtin::built_in_strength;
use entralint_parser::model::{
    AuthenticationStrength, BuiltInControl, ConditionalAccessPolicy, GrantOperator,
};
use entralint_parser::{ObjectId, Origin, Tenant};

/// Methods that are phishing-resistant on their own: FIDO2 (passkeys included), Windows Hello for
/// Business, certificate-based MFA. They are the combinations of Microsoft's built-in
/// Phishing-resistant MFA strength
/// (<https://learn.microsoft.com/entra/identity/authentication/concept-authentication-strengths>)
/// and the set ScubaGear accepts (`AcceptableMFA` in
/// <https://github.com/cisagov/ScubaGear/blob/main/PowerShell/ScubaGear/Rego/Utils/AAD.rego>).
pub const PHISHING_RESISTANT_METHODS: [&str; 3] = [
    "fido2",
    "windowsHelloForBusiness",
    "x509CertificateMultiFactor",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum StrengthClass {
    /// Some allowed combination is not phishing-resistant.
    Mfa,
    /// Non-empty, and every allowed combination is phishing-resistant.
    PhishingResistant,
    /// Only an id the export does not define and that is not built in.
    Unresolved,
}

impl StrengthClass {
    pub fn as_str(self) -> &'static str {
        match self {
            StrengthClass::Mfa => "mfa",
            StrengthClass::PhishingResistant => "phishingResistant",
            StrengthClass::Unresolved => "unresolved",
        }
    }
}

/// Where a strength's combinations came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StrengthSource {
    /// `authenticationStrengthPolicies` in the export.
    Exported(Origin),
    /// The object embedded in the CA policy.
    Embedded,
    /// The built-in table (ids are the same in every tenant).
    BuiltIn,
    None,
}

#[derive(Debug, Clone)]
pub struct ResolvedStrength {
    pub id: Option<ObjectId>,
    pub display_name: Option<String>,
    pub combinations: Vec<Vec<String>>,
    pub source: StrengthSource,
    pub class: StrengthClass,
}

impl ResolvedStrength {
    /// The name a message uses.
    pub fn name(&self) -> String {
        match (&self.display_name, &self.id) {
            (Some(n), _) => n.clone(),
            (None, Some(id)) => id.to_string(),
            (None, None) => "(unnamed strength)".to_owned(),
        }
    }

    /// Allowed combinations that are not phishing-resistant, as Graph writes them.
    pub fn weak_combinations(&self) -> Vec<String> {
        self.combinations
            .iter()
            .filter(|c| !is_phishing_resistant(c))
            .map(|c| c.join(","))
            .collect()
    }
}

pub fn is_phishing_resistant(combination: &[String]) -> bool {
    !combination.is_empty()
        && combination.iter().all(|m| {
            PHISHING_RESISTANT_METHODS
                .iter()
                .any(|p| p.eq_ignore_ascii_case(m))
        })
}

/// Resolves the strength a CA policy references: the tenant's exported definition first, then the
/// combinations embedded in the policy, then the built-in table.
pub fn resolve(tenant: &Tenant, strength: &AuthenticationStrength) -> ResolvedStrength {
    let exported = strength.id.as_ref().and_then(|id| {
        tenant
            .authentication_strengths
            .iter()
            .find(|s| s.id.as_ref() == Some(id))
    });
    let (def, source) = if let Some(e) = exported {
        (Some(e.clone()), StrengthSource::Exported(e.origin.clone()))
    } else if !strength.allowed_combinations.is_empty() {
        (Some(strength.clone()), StrengthSource::Embedded)
    } else if let Some(b) = strength.id.as_deref().and_then(built_in_strength) {
        (Some(b), StrengthSource::BuiltIn)
    } else {
        (None, StrengthSource::None)
    };
    let combinations: Vec<Vec<String>> = def
        .as_ref()
        .map(|d| {
            d.allowed_combinations
                .iter()
                .map(|c| c.0.clone())
                .filter(|c| !c.is_empty())
                .collect()
        })
        .unwrap_or_default();
    let class = if combinations.is_empty() {
        StrengthClass::Unresolved
    } else if combinations.iter().all(|c| is_phishing_resistant(c)) {
        StrengthClass::PhishingResistant
    } else {
        StrengthClass::Mfa
    };
    ResolvedStrength {
        id: strength.id.clone(),
        display_name: def
            .and_then(|d| d.display_name)
            .or_else(|| strength.display_name.clone()),
        combinations,
        source,
        class,
    }
}

/// How strong a CA policy's grant is, as far as the moment of authentication is concerned.
#[derive(Debug, Clone)]
pub enum Grant {
    /// `block`: access is denied outright.
    Block,
    /// An authentication strength, and the controls that can replace it under `OR`.
    Strength {
        strength: ResolvedStrength,
        alternatives: Vec<String>,
    },
    /// Plain `mfa` (any MFA method), and the controls that can replace it under `OR`.
    Mfa { alternatives: Vec<String> },
    /// No authentication requirement in the grant (session controls only, or other controls).
    None,
}

impl Grant {
    /// Requires MFA or an authentication strength, whatever else it allows.
    pub fn requires_mfa(&self) -> bool {
        matches!(self, Grant::Mfa { .. } | Grant::Strength { .. })
    }

    /// Requires MFA or a strength, or blocks: the grant challenges the sign-in.
    pub fn challenges(&self) -> bool {
        self.requires_mfa() || matches!(self, Grant::Block)
    }

    /// Requires a phishing-resistant strength that no other control can stand in for (or blocks).
    pub fn is_phishing_resistant(&self) -> bool {
        match self {
            Grant::Block => true,
            Grant::Strength {
                strength,
                alternatives,
            } => strength.class == StrengthClass::PhishingResistant && alternatives.is_empty(),
            _ => false,
        }
    }

    /// Controls that satisfy the grant instead of the authentication requirement (`OR`).
    pub fn alternatives(&self) -> &[String] {
        match self {
            Grant::Strength { alternatives, .. } | Grant::Mfa { alternatives } => alternatives,
            _ => &[],
        }
    }

    pub fn strength(&self) -> Option<&ResolvedStrength> {
        match self {
            Grant::Strength { strength, .. } => Some(strength),
            _ => None,
        }
    }
}

/// Classifies a policy's grant controls. The MFA or strength control is mandatory (no other
/// control can stand in for it) when the operator is `AND` or it is the only control; under `OR`
/// every other control is an alternative to it. `operator` relates the grant controls, `AND` or
/// `OR` (<https://learn.microsoft.com/graph/api/resources/conditionalaccessgrantcontrols>).
pub fn grant(tenant: &Tenant, policy: &ConditionalAccessPolicy) -> Grant {
    let Some(g) = policy.grant_controls.as_ref() else {
        return Grant::None;
    };
    if g.has(&BuiltInControl::Block) {
        return Grant::Block;
    }
    let is_and = g.operator == Some(GrantOperator::And);
    let has_mfa = g.has(&BuiltInControl::Mfa);
    let strength = policy.strength();
    let mut others: Vec<String> = g
        .built_in_controls
        .iter()
        .filter(|c| !matches!(c, BuiltInControl::Mfa | BuiltInControl::UnknownFutureValue))
        .map(|c| c.as_str().to_owned())
        .collect();
    if !g.terms_of_use.is_empty() {
        others.push("terms of use".to_owned());
    }
    others.extend(g.custom_authentication_factors.iter().cloned());
    if let Some(s) = strength {
        if has_mfa {
            others.insert(0, "mfa".to_owned());
        }
        let alternatives = if is_and { Vec::new() } else { others };
        return Grant::Strength {
            strength: resolve(tenant, s),
            alternatives,
        };
    }
    if has_mfa {
        return Grant::Mfa {
            alternatives: if is_and { Vec::new() } else { others },
        };
    }
    Grant::None
}
