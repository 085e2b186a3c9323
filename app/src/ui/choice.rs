//! A select's value as a form sends it: "" for no choice, else an id. The
//! server function takes it as a typed id (`Choice<RoleId>`); anything but
//! "" or a whole number is an unreadable request (400), like any other
//! argument that does not parse.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer, de};

/// "No choice" or one id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Choice<T>(pub Option<T>);

impl<T: From<i64>> Choice<T> {
    /// "" as no choice, a whole number as that id; else why not.
    pub fn parse(text: &str) -> Result<Self, String> {
        match text.trim() {
            "" => Ok(Choice(None)),
            text => text
                .parse::<i64>()
                .map(|id| Choice(Some(T::from(id))))
                .map_err(|_| format!("{text:?} is not an id")),
        }
    }
}

impl<T: Into<i64> + Copy> Serialize for Choice<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self.0 {
            Some(id) => serializer.collect_str(&id.into()),
            None => serializer.serialize_str(""),
        }
    }
}

impl<'de, T: From<i64>> Deserialize<'de> for Choice<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ChoiceVisitor(std::marker::PhantomData))
    }
}

struct ChoiceVisitor<T>(std::marker::PhantomData<T>);

impl<T: From<i64>> de::Visitor<'_> for ChoiceVisitor<T> {
    type Value = Choice<T>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an id, or nothing")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Self::Value, E> {
        Choice::parse(text).map_err(E::custom)
    }

    fn visit_i64<E: de::Error>(self, id: i64) -> Result<Self::Value, E> {
        Ok(Choice(Some(T::from(id))))
    }

    fn visit_u64<E: de::Error>(self, id: u64) -> Result<Self::Value, E> {
        i64::try_from(id)
            .map(|id| Choice(Some(T::from(id))))
            .map_err(|_| E::custom(format!("{id} is not an id")))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Choice(None))
    }
}

#[cfg(test)]
mod tests {
    use super::Choice;
    use crate::model::ids::RoleId;

    #[test]
    fn nothing_or_an_id_and_nothing_else() {
        let read = |json: &str| serde_json::from_str::<Choice<RoleId>>(json).ok();
        assert_eq!(read("\"\""), Some(Choice(None)));
        assert_eq!(read("\" 7 \""), Some(Choice(Some(RoleId(7)))));
        assert_eq!(read("7"), Some(Choice(Some(RoleId(7)))));
        assert_eq!(read("\"seven\""), None);
        assert_eq!(read("\"7.5\""), None);
        assert_eq!(
            serde_json::to_string(&Choice(Some(RoleId(7))))
                .ok()
                .as_deref(),
            Some("\"7\"")
        );
        assert_eq!(
            serde_json::to_string(&Choice::<RoleId>(None))
                .ok()
                .as_deref(),
            Some("\"\"")
        );
    }
}
