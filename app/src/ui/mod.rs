//! Small UI building blocks shared by the pages.

pub mod choice;
pub mod common_passwords;
pub mod confirm;
pub mod form;
pub mod nav;
pub mod password;
pub mod table;
pub mod tabs;
pub mod unsaved;
pub mod url;
