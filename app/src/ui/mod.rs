//! Small UI building blocks shared by the pages.

pub mod form;
pub mod lazy;
pub mod password;
pub mod url;
