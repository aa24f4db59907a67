//! JSON Schemas of the wire types, with crewsense-gen's `schemars` feature: each type
//! is described by every form it reads (a number or a numeric string, an object or
//! `[]`, ...).

use schemars::JsonSchema;
use schemars::r#gen::SchemaGenerator;
use schemars::schema::{InstanceType, Schema, SchemaObject};

use super::{Color, Date, DateMap, Decimal, Empty, EmptyOr, Flag, Id, Integer, LocalDateTime};
use super::{LocalOrTimestamp, Messages, Open, Timestamp};

/// A JSON Schema for a type sent as a string in a named format.
macro_rules! string_schema {
    ($ty:ty, $name:expr, $format:literal) => {
        impl JsonSchema for $ty {
            fn schema_name() -> String {
                $name.to_owned()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                SchemaObject {
                    instance_type: Some(InstanceType::String.into()),
                    format: Some($format.to_owned()),
                    ..Default::default()
                }
                .into()
            }
        }
    };
}

impl<T: JsonSchema> JsonSchema for EmptyOr<T> {
    fn schema_name() -> String {
        format!("EmptyOr_{}", T::schema_name())
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        any_of(vec![generator.subschema_for::<T>(), empty_array()])
    }
}

/// A schema met by a value that meets any of `schemas`.
fn any_of(schemas: Vec<Schema>) -> Schema {
    let mut schema = SchemaObject::default();
    schema.subschemas().any_of = Some(schemas);
    schema.into()
}

fn empty_array() -> Schema {
    let mut array = SchemaObject {
        instance_type: Some(InstanceType::Array.into()),
        ..Default::default()
    };
    array.array().max_items = Some(0);
    array.into()
}

impl JsonSchema for Empty {
    fn schema_name() -> String {
        "Empty".to_owned()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let mut object = SchemaObject {
            instance_type: Some(InstanceType::Object.into()),
            ..Default::default()
        };
        object.object().max_properties = Some(0);
        any_of(vec![object.into(), empty_array()])
    }
}

impl<T: JsonSchema> JsonSchema for DateMap<T> {
    fn schema_name() -> String {
        format!("DateMap_{}", T::schema_name())
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let value = generator.subschema_for::<T>();
        let mut object = SchemaObject {
            instance_type: Some(InstanceType::Object.into()),
            ..Default::default()
        };
        object.object().additional_properties = Some(Box::new(value.clone()));
        let mut array = SchemaObject {
            instance_type: Some(InstanceType::Array.into()),
            ..Default::default()
        };
        array.array().items = Some(value.into());
        any_of(vec![object.into(), array.into()])
    }
}

impl<E> JsonSchema for Open<E> {
    fn schema_name() -> String {
        "OpenEnum".to_owned()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        String::json_schema(generator)
    }
}

impl JsonSchema for Messages {
    fn schema_name() -> String {
        "Messages".to_owned()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        any_of(vec![
            generator.subschema_for::<String>(),
            generator.subschema_for::<Vec<String>>(),
        ])
    }
}

impl JsonSchema for LocalOrTimestamp {
    fn schema_name() -> String {
        "LocalOrTimestamp".to_owned()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        any_of(vec![
            generator.subschema_for::<LocalDateTime>(),
            generator.subschema_for::<Timestamp>(),
        ])
    }
}

impl JsonSchema for Flag {
    fn schema_name() -> String {
        "Flag".to_owned()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        SchemaObject {
            instance_type: Some(
                vec![
                    InstanceType::Boolean,
                    InstanceType::Integer,
                    InstanceType::String,
                ]
                .into(),
            ),
            ..Default::default()
        }
        .into()
    }
}

string_schema!(Color, "Color", "color");
string_schema!(Date, "Date", "date");
string_schema!(LocalDateTime, "LocalDateTime", "local-date-time");
string_schema!(Timestamp, "Timestamp", "date-time");

/// A JSON Schema for a number that may arrive as a numeric string.
macro_rules! number_schema {
    ($ty:ident, $kind:ident) => {
        impl JsonSchema for $ty {
            fn schema_name() -> String {
                stringify!($ty).to_owned()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                SchemaObject {
                    instance_type: Some(vec![InstanceType::$kind, InstanceType::String].into()),
                    ..Default::default()
                }
                .into()
            }
        }
    };
}

number_schema!(Id, Integer);
number_schema!(Integer, Integer);
number_schema!(Decimal, Number);
