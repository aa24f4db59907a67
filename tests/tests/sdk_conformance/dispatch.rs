//! One typed call per operation of the spec: through the generated builder with
//! `Client::call`, or through the typed convenience where the facade has one (and
//! through `Client::upload_certification_file` for the multipart upload). Arguments
//! come from the scenario's [`Call`], converted into the types the builders take,
//! so a builder that changes its types fails to compile here.

use crewsense::wire::Id;
use crewsense::{Client, Error};
use crewsense_tests::scenario::Call;
use serde_json::Value;

use super::{body, encode, file, path, query};

/// Sends operation `op_id` with `call` through `client`; `None` if this table has
/// no arm for it.
pub async fn send(client: &Client, op_id: &str, call: &Call) -> Option<Result<Value, Error>> {
    let answer = match op_id {
        "get_schedule" => {
            let end: crewsense::time::LocalDateTime =
                query(call, "end").expect("get_schedule needs end");
            let start: crewsense::time::LocalDateTime =
                query(call, "start").expect("get_schedule needs start");
            encode(
                client
                    .call(async |api| api.get_schedule().end(end).start(start).send().await)
                    .await,
            )
        }
        "list_day_labels" => {
            let end: Option<crewsense::time::Date> = query(call, "end");
            let start: Option<crewsense::time::Date> = query(call, "start");
            encode(
                client
                    .call(async |api| {
                        let b = api.list_day_labels();
                        let b = match end {
                            Some(v) => b.end(v),
                            None => b,
                        };
                        let b = match start {
                            Some(v) => b.start(v),
                            None => b,
                        };
                        b.send().await
                    })
                    .await,
            )
        }
        "list_assignments" => encode(
            client
                .call(async |api| api.list_assignments().send().await)
                .await,
        ),
        "create_assignment" => {
            let body: crewsense::types::AssignmentCreateRequest = body(call);
            encode(
                client
                    .call(async |api| api.create_assignment().body(body.clone()).send().await)
                    .await,
            )
        }
        "get_assignment" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.get_assignment().id(id).send().await)
                    .await,
            )
        }
        "update_assignment" => {
            let id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::AssignmentUpdateRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.update_assignment()
                            .id(id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "delete_assignment" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.delete_assignment().id(id).send().await)
                    .await,
            )
        }
        "list_assignment_groups" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.list_assignment_groups().id(id).send().await)
                    .await,
            )
        }
        "replace_assignment_groups" => {
            let id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::AssignmentIdsRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.replace_assignment_groups()
                            .id(id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "remove_assignment_groups" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.remove_assignment_groups().id(id).send().await)
                    .await,
            )
        }
        "remove_assignment_group" => {
            let id: crewsense::wire::Id = path(call, 0);
            let group_id: crewsense::wire::Id = path(call, 1);
            encode(
                client
                    .call(async |api| {
                        api.remove_assignment_group()
                            .id(id)
                            .group_id(group_id)
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "list_assignment_admins" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.list_assignment_admins().id(id).send().await)
                    .await,
            )
        }
        "replace_assignment_admins" => {
            let id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::AssignmentIdsRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.replace_assignment_admins()
                            .id(id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "finalize_assignment" => {
            let id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::AssignmentFinalizationRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.finalize_assignment()
                            .id(id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "unfinalize_assignment" => {
            let id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::AssignmentUnfinalizationRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.unfinalize_assignment()
                            .id(id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "finalize_assignments" => {
            let body: crewsense::types::FinalizationBatchRequest = body(call);
            encode(
                client
                    .call(async |api| api.finalize_assignments().body(body.clone()).send().await)
                    .await,
            )
        }
        "unfinalize_assignments" => {
            let body: crewsense::types::FinalizationBatchRequest = body(call);
            encode(
                client
                    .call(async |api| api.unfinalize_assignments().body(body.clone()).send().await)
                    .await,
            )
        }
        "list_shifts" => {
            let user_id: crewsense::wire::Id =
                query(call, "user_id").expect("list_shifts needs user_id");
            encode(
                client
                    .call(async |api| api.list_shifts().user_id(user_id).send().await)
                    .await,
            )
        }
        "create_shift" => {
            let body: crewsense::types::CreateShiftRequest = body(call);
            encode(client.create_shift(body).await)
        }
        "get_shift" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.get_shift().id(id).send().await)
                    .await,
            )
        }
        "delete_shift" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(client.delete_shift(id.into()).await)
        }
        "update_shift" => {
            let id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::UpdateShiftRequest = body(call);
            encode(client.update_shift(id.into(), body).await)
        }
        "list_shift_qualifiers" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.list_shift_qualifiers().id(id).send().await)
                    .await,
            )
        }
        "replace_shift_qualifiers" => {
            let id: crewsense::wire::Id = path(call, 0);
            let body: ::std::vec::Vec<crewsense::wire::Id> = body(call);
            encode(
                client
                    .call(async |api| {
                        api.replace_shift_qualifiers()
                            .id(id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "remove_shift_qualifiers" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.remove_shift_qualifiers().id(id).send().await)
                    .await,
            )
        }
        "remove_shift_qualifier" => {
            let id: crewsense::wire::Id = path(call, 0);
            let qualifier_id: crewsense::wire::Id = path(call, 1);
            encode(
                client
                    .call(async |api| {
                        api.remove_shift_qualifier()
                            .id(id)
                            .qualifier_id(qualifier_id)
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "list_shift_labels" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.list_shift_labels().id(id).send().await)
                    .await,
            )
        }
        "replace_shift_labels" => {
            let id: crewsense::wire::Id = path(call, 0);
            let body: ::std::vec::Vec<crewsense::wire::Id> = body(call);
            encode(
                client
                    .call(async |api| {
                        api.replace_shift_labels()
                            .id(id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "remove_shift_labels" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.remove_shift_labels().id(id).send().await)
                    .await,
            )
        }
        "remove_shift_label" => {
            let id: crewsense::wire::Id = path(call, 0);
            let label_id: crewsense::wire::Id = path(call, 1);
            encode(
                client
                    .call(async |api| {
                        api.remove_shift_label()
                            .id(id)
                            .label_id(label_id)
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "list_work_types" => encode(
            client
                .call(async |api| api.list_work_types().send().await)
                .await,
        ),
        "get_work_type" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.get_work_type().id(id).send().await)
                    .await,
            )
        }
        "list_work_type_subtypes" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.list_work_type_subtypes().id(id).send().await)
                    .await,
            )
        }
        "list_work_subtypes" => encode(
            client
                .call(async |api| api.list_work_subtypes().send().await)
                .await,
        ),
        "list_visual_cycles" => {
            let end: Option<crewsense::time::Date> = query(call, "end");
            let start: Option<crewsense::time::Date> = query(call, "start");
            encode(
                client
                    .call(async |api| {
                        let b = api.list_visual_cycles();
                        let b = match end {
                            Some(v) => b.end(v),
                            None => b,
                        };
                        let b = match start {
                            Some(v) => b.start(v),
                            None => b,
                        };
                        b.send().await
                    })
                    .await,
            )
        }
        "create_visual_cycle" => {
            let body: crewsense::types::VisualCycleRequest = body(call);
            encode(
                client
                    .call(async |api| api.create_visual_cycle().body(body.clone()).send().await)
                    .await,
            )
        }
        "get_visual_cycle" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.get_visual_cycle().id(id).send().await)
                    .await,
            )
        }
        "update_visual_cycle" => {
            let id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::VisualCycleUpdateRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.update_visual_cycle()
                            .id(id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "delete_visual_cycle" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.delete_visual_cycle().id(id).send().await)
                    .await,
            )
        }
        "list_groups" => encode(
            client
                .call(async |api| api.list_groups().send().await)
                .await,
        ),
        "create_group" => {
            let body: crewsense::types::CreateGroupRequest = body(call);
            encode(
                client
                    .call(async |api| api.create_group().body(body.clone()).send().await)
                    .await,
            )
        }
        "list_lists" => encode(client.call(async |api| api.list_lists().send().await).await),
        "get_list" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.get_list().id(id).send().await)
                    .await,
            )
        }
        "list_titles" => encode(
            client
                .call(async |api| api.list_titles().send().await)
                .await,
        ),
        "get_title" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.get_title().id(id).send().await)
                    .await,
            )
        }
        "list_time_offs" => {
            let after: Option<crewsense::time::LocalDateTime> = query(call, "after");
            let end: crewsense::time::LocalDateTime =
                query(call, "end").expect("list_time_offs needs end");
            let start: crewsense::time::LocalDateTime =
                query(call, "start").expect("list_time_offs needs start");
            encode(
                client
                    .call(async |api| {
                        let b = api.list_time_offs().end(end).start(start);
                        let b = match after {
                            Some(v) => b.after(v),
                            None => b,
                        };
                        b.send().await
                    })
                    .await,
            )
        }
        "create_time_off" => {
            let body: crewsense::types::CreateTimeOffRequest = body(call);
            encode(
                client
                    .call(async |api| api.create_time_off().body(body.clone()).send().await)
                    .await,
            )
        }
        "get_time_off" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.get_time_off().id(id).send().await)
                    .await,
            )
        }
        "delete_time_off" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(client.delete_time_off(id.into()).await)
        }
        "deny_time_off" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(client.deny_time_off(id.into()).await)
        }
        "approve_time_off" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(client.approve_time_off(id.into()).await)
        }
        "list_time_off_types" => encode(
            client
                .call(async |api| api.list_time_off_types().send().await)
                .await,
        ),
        "create_time_off_type" => {
            let body: crewsense::types::CreateTimeOffTypeRequest = body(call);
            encode(
                client
                    .call(async |api| api.create_time_off_type().body(body.clone()).send().await)
                    .await,
            )
        }
        "list_accruals" => encode(
            client
                .call(async |api| api.list_accruals().send().await)
                .await,
        ),
        "list_user_accrual_profiles" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| {
                        api.list_user_accrual_profiles()
                            .user_id(user_id)
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "list_user_accrual_balances" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| {
                        api.list_user_accrual_balances()
                            .user_id(user_id)
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "update_user_accrual_balance" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            let id: crewsense::wire::Id = path(call, 1);
            let body: crewsense::types::AccrualAdjustmentRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.update_user_accrual_balance()
                            .user_id(user_id)
                            .id(id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "list_trades" => encode(
            client
                .call(async |api| api.list_trades().send().await)
                .await,
        ),
        "create_trade" => {
            let body: crewsense::types::CreateTradeRequest = body(call);
            encode(
                client
                    .call(async |api| api.create_trade().body(body.clone()).send().await)
                    .await,
            )
        }
        "list_trade_users" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.list_trade_users().id(id).send().await)
                    .await,
            )
        }
        "update_trade" => {
            let id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::UpdateTradeRequest = body(call);
            encode(
                client
                    .call(async |api| api.update_trade().id(id).body(body.clone()).send().await)
                    .await,
            )
        }
        "replace_trade" => {
            let id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::ReplaceTradeRequest = body(call);
            encode(
                client
                    .call(async |api| api.replace_trade().id(id).body(body.clone()).send().await)
                    .await,
            )
        }
        "delete_trade" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.delete_trade().id(id).send().await)
                    .await,
            )
        }
        "list_labels" => encode(
            client
                .call(async |api| api.list_labels().send().await)
                .await,
        ),
        "create_label" => {
            let body: crewsense::types::LabelRequest = body(call);
            encode(
                client
                    .call(async |api| api.create_label().body(body.clone()).send().await)
                    .await,
            )
        }
        "get_label" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.get_label().id(id).send().await)
                    .await,
            )
        }
        "update_label" => {
            let id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::LabelRequest = body(call);
            encode(
                client
                    .call(async |api| api.update_label().id(id).body(body.clone()).send().await)
                    .await,
            )
        }
        "delete_label" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.delete_label().id(id).send().await)
                    .await,
            )
        }
        "list_filters" => encode(
            client
                .call(async |api| api.list_filters().send().await)
                .await,
        ),
        "create_filter" => {
            let body: crewsense::types::FilterRequest = body(call);
            encode(
                client
                    .call(async |api| api.create_filter().body(body.clone()).send().await)
                    .await,
            )
        }
        "get_filter" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.get_filter().id(id).send().await)
                    .await,
            )
        }
        "update_filter" => {
            let id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::FilterRequest = body(call);
            encode(
                client
                    .call(async |api| api.update_filter().id(id).body(body.clone()).send().await)
                    .await,
            )
        }
        "delete_filter" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.delete_filter().id(id).send().await)
                    .await,
            )
        }
        "list_users" => match query::<String>(call, "employee_id") {
            None => encode(client.users().await),
            Some(employee_id) => encode(
                client
                    .call(async |api| {
                        api.list_users()
                            .employee_id(employee_id.clone())
                            .send()
                            .await
                    })
                    .await,
            ),
        },
        "create_user" => {
            let body: crewsense::types::CreateUserRequest = body(call);
            encode(
                client
                    .call(async |api| api.create_user().body(body.clone()).send().await)
                    .await,
            )
        }
        "get_user" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            encode(client.user(user_id.into()).await)
        }
        "update_user" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::UpdateUserRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.update_user()
                            .user_id(user_id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "list_user_titles" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.list_user_titles().user_id(user_id).send().await)
                    .await,
            )
        }
        "replace_user_titles" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::UserAssociationsRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.replace_user_titles()
                            .user_id(user_id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "list_user_filters" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.list_user_filters().user_id(user_id).send().await)
                    .await,
            )
        }
        "replace_user_filters" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::UserAssociationsRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.replace_user_filters()
                            .user_id(user_id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "list_user_groups" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.list_user_groups().user_id(user_id).send().await)
                    .await,
            )
        }
        "replace_user_groups" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::UserAssociationsRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.replace_user_groups()
                            .user_id(user_id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "list_user_qualifiers" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.list_user_qualifiers().user_id(user_id).send().await)
                    .await,
            )
        }
        "add_user_qualifier" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::UserQualifierAssignment = body(call);
            encode(
                client
                    .call(async |api| {
                        api.add_user_qualifier()
                            .user_id(user_id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "replace_user_qualifiers" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::ReplaceUserQualifiersRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.replace_user_qualifiers()
                            .user_id(user_id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "remove_user_qualifier" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            let id: crewsense::wire::Id = path(call, 1);
            encode(
                client
                    .call(async |api| {
                        api.remove_user_qualifier()
                            .user_id(user_id)
                            .id(id)
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "list_user_time_offs" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            let end: Option<crewsense::time::LocalDateTime> = query(call, "end");
            let start: Option<crewsense::time::LocalDateTime> = query(call, "start");
            encode(
                client
                    .call(async |api| {
                        let b = api.list_user_time_offs().user_id(user_id);
                        let b = match end {
                            Some(v) => b.end(v),
                            None => b,
                        };
                        let b = match start {
                            Some(v) => b.start(v),
                            None => b,
                        };
                        b.send().await
                    })
                    .await,
            )
        }
        "create_user_time_off" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::CreateUserTimeOffRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.create_user_time_off()
                            .user_id(user_id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "update_user_time_off" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            let id: crewsense::wire::Id = path(call, 1);
            let body: crewsense::types::UpdateUserTimeOffRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.update_user_time_off()
                            .user_id(user_id)
                            .id(id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "list_certifications" => encode(
            client
                .call(async |api| api.list_certifications().send().await)
                .await,
        ),
        "create_certification" => {
            let body: crewsense::types::CreateCertificationRequest = body(call);
            encode(
                client
                    .call(async |api| api.create_certification().body(body.clone()).send().await)
                    .await,
            )
        }
        "get_certification" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.get_certification().id(id).send().await)
                    .await,
            )
        }
        "update_certification" => {
            let id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::UpdateCertificationRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.update_certification()
                            .id(id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "delete_certification" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.delete_certification().id(id).send().await)
                    .await,
            )
        }
        "list_user_certifications" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.list_user_certifications().user_id(user_id).send().await)
                    .await,
            )
        }
        "add_user_certification" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::UserCertificationRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.add_user_certification()
                            .user_id(user_id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "remove_user_certifications" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| {
                        api.remove_user_certifications()
                            .user_id(user_id)
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "get_user_certification" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            let id: crewsense::wire::Id = path(call, 1);
            encode(
                client
                    .call(async |api| {
                        api.get_user_certification()
                            .user_id(user_id)
                            .id(id)
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "update_user_certification" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            let id: crewsense::wire::Id = path(call, 1);
            let body: crewsense::types::UserCertificationRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.update_user_certification()
                            .user_id(user_id)
                            .id(id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "remove_user_certification" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            let id: crewsense::wire::Id = path(call, 1);
            encode(
                client
                    .call(async |api| {
                        api.remove_user_certification()
                            .user_id(user_id)
                            .id(id)
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "upload_user_certification_file" => {
            let (user_id, id) = (Id(call.path[0]), Id(call.path[1]));
            encode(
                client
                    .upload_certification_file(user_id.into(), id.into(), file(call))
                    .await,
            )
        }
        "list_logs" => {
            let after: Option<crewsense::time::LocalDateTime> = query(call, "after");
            encode(
                client
                    .call(async |api| {
                        let b = api.list_logs();
                        let b = match after {
                            Some(v) => b.after(v),
                            None => b,
                        };
                        b.send().await
                    })
                    .await,
            )
        }
        "list_callbacks" => {
            let end: Option<crewsense::time::LocalDateTime> = query(call, "end");
            let offset: Option<u64> = query(call, "offset");
            let start: Option<crewsense::time::LocalDateTime> = query(call, "start");
            encode(
                client
                    .call(async |api| {
                        let b = api.list_callbacks();
                        let b = match end {
                            Some(v) => b.end(v),
                            None => b,
                        };
                        let b = match offset {
                            Some(v) => b.offset(v),
                            None => b,
                        };
                        let b = match start {
                            Some(v) => b.start(v),
                            None => b,
                        };
                        b.send().await
                    })
                    .await,
            )
        }
        "get_callback" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.get_callback().id(id).send().await)
                    .await,
            )
        }
        "list_callback_users" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.list_callback_users().id(id).send().await)
                    .await,
            )
        }
        "list_signup_events" => {
            let archived: Option<bool> = query(call, "archived");
            let deleted: Option<bool> = query(call, "deleted");
            let end: Option<crewsense::time::LocalDateTime> = query(call, "end");
            let start: Option<crewsense::time::LocalDateTime> = query(call, "start");
            let status: Option<::std::string::String> = query(call, "status");
            encode(
                client
                    .call(async |api| {
                        let b = api.list_signup_events();
                        let b = match archived {
                            Some(v) => b.archived(v),
                            None => b,
                        };
                        let b = match deleted {
                            Some(v) => b.deleted(v),
                            None => b,
                        };
                        let b = match end {
                            Some(v) => b.end(v),
                            None => b,
                        };
                        let b = match start {
                            Some(v) => b.start(v),
                            None => b,
                        };
                        let b = match status.clone() {
                            Some(v) => b.status(v),
                            None => b,
                        };
                        b.send().await
                    })
                    .await,
            )
        }
        "create_signup_event" => {
            let body: crewsense::types::SignupEventRequest = body(call);
            encode(
                client
                    .call(async |api| api.create_signup_event().body(body.clone()).send().await)
                    .await,
            )
        }
        "get_signup_event" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(client.signup_event(id.into()).await)
        }
        "replace_signup_event" => {
            let id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::SignupEventRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.replace_signup_event()
                            .id(id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "list_signup_event_users" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(client.signup_event_users(id.into()).await)
        }
        "add_signup_event_user" => {
            let id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::SignupEventUserRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.add_signup_event_user()
                            .id(id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "remove_signup_event_user" => {
            let id: crewsense::wire::Id = path(call, 0);
            let user_id: crewsense::wire::Id = path(call, 1);
            encode(
                client
                    .call(async |api| {
                        api.remove_signup_event_user()
                            .id(id)
                            .user_id(user_id)
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "list_availability_periods" => {
            let end: crewsense::time::LocalDateTime =
                query(call, "end").expect("list_availability_periods needs end");
            let start: crewsense::time::LocalDateTime =
                query(call, "start").expect("list_availability_periods needs start");
            encode(
                client
                    .call(async |api| {
                        api.list_availability_periods()
                            .end(end)
                            .start(start)
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "create_availability_period" => {
            let body: crewsense::types::AvailabilityPeriodRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.create_availability_period()
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "list_announcements" => {
            let offset: Option<u64> = query(call, "offset");
            encode(
                client
                    .call(async |api| {
                        let b = api.list_announcements();
                        let b = match offset {
                            Some(v) => b.offset(v),
                            None => b,
                        };
                        b.send().await
                    })
                    .await,
            )
        }
        "create_announcement" => {
            let body: crewsense::types::AnnouncementRequest = body(call);
            encode(
                client
                    .call(async |api| api.create_announcement().body(body.clone()).send().await)
                    .await,
            )
        }
        "update_announcement" => {
            let id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::AnnouncementRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.update_announcement()
                            .id(id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "delete_announcement" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.delete_announcement().id(id).send().await)
                    .await,
            )
        }
        "list_qualifiers" => encode(
            client
                .call(async |api| api.list_qualifiers().send().await)
                .await,
        ),
        "create_qualifier" => {
            let body: crewsense::types::QualifierRequest = body(call);
            encode(
                client
                    .call(async |api| api.create_qualifier().body(body.clone()).send().await)
                    .await,
            )
        }
        "get_qualifier" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.get_qualifier().id(id).send().await)
                    .await,
            )
        }
        "restore_qualifier" => {
            let id: crewsense::wire::Id = path(call, 0);
            let body: crewsense::types::QualifierRestoreRequest = body(call);
            encode(
                client
                    .call(async |api| {
                        api.restore_qualifier()
                            .id(id)
                            .body(body.clone())
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "delete_qualifier" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.delete_qualifier().id(id).send().await)
                    .await,
            )
        }
        "list_qualifier_users" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.list_qualifier_users().id(id).send().await)
                    .await,
            )
        }
        "list_payroll_entries" => {
            let end: crewsense::time::LocalDateTime =
                query(call, "end").expect("list_payroll_entries needs end");
            let start: crewsense::time::LocalDateTime =
                query(call, "start").expect("list_payroll_entries needs start");
            let user_id: Option<crewsense::wire::Id> = query(call, "user_id");
            encode(
                client
                    .call(async |api| {
                        let b = api.list_payroll_entries().end(end).start(start);
                        let b = match user_id {
                            Some(v) => b.user_id(v),
                            None => b,
                        };
                        b.send().await
                    })
                    .await,
            )
        }
        "list_user_payroll_entries" => {
            let user_id: crewsense::wire::Id = path(call, 0);
            let end: crewsense::time::LocalDateTime =
                query(call, "end").expect("list_user_payroll_entries needs end");
            let start: crewsense::time::LocalDateTime =
                query(call, "start").expect("list_user_payroll_entries needs start");
            encode(
                client
                    .call(async |api| {
                        api.list_user_payroll_entries()
                            .user_id(user_id)
                            .end(end)
                            .start(start)
                            .send()
                            .await
                    })
                    .await,
            )
        }
        "list_forms" => encode(client.call(async |api| api.list_forms().send().await).await),
        "list_form_submissions" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.list_form_submissions().id(id).send().await)
                    .await,
            )
        }
        "send_ready_alert" => {
            let body: crewsense::types::ReadyAlertRequest = body(call);
            encode(
                client
                    .call(async |api| api.send_ready_alert().body(body.clone()).send().await)
                    .await,
            )
        }
        "get_company" => encode(
            client
                .call(async |api| api.get_company().send().await)
                .await,
        ),
        "get_bulletin_board" => encode(
            client
                .call(async |api| api.get_bulletin_board().send().await)
                .await,
        ),
        "replace_bulletin_board" => {
            let body: crewsense::types::BulletinBoardRequest = body(call);
            encode(
                client
                    .call(async |api| api.replace_bulletin_board().body(body.clone()).send().await)
                    .await,
            )
        }
        "list_target_solutions_users" => encode(
            client
                .call(async |api| api.list_target_solutions_users().send().await)
                .await,
        ),
        "get_target_solutions_user" => {
            let id: crewsense::wire::Id = path(call, 0);
            encode(
                client
                    .call(async |api| api.get_target_solutions_user().id(id).send().await)
                    .await,
            )
        }
        _ => return None,
    };
    Some(answer)
}
