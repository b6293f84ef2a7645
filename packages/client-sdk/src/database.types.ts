export type Json =
  | string
  | number
  | boolean
  | null
  | { [key: string]: Json | undefined }
  | Json[]

export type Database = {
  graphql_public: {
    Tables: {
      [_ in never]: never
    }
    Views: {
      [_ in never]: never
    }
    Functions: {
      graphql: {
        Args: {
          extensions?: Json
          operationName?: string
          query?: string
          variables?: Json
        }
        Returns: Json
      }
    }
    Enums: {
      [_ in never]: never
    }
    CompositeTypes: {
      [_ in never]: never
    }
  }
  public: {
    Tables: {
      activity_log: {
        Row: {
          action: string
          actor_id: string | null
          created_at: string
          id: number
          ip: unknown
          metadata: NonNullable<Json>
          target_id: string | null
          target_type: string | null
          user_agent: string | null
          user_id: string | null
        }
        Insert: {
          action: string
          actor_id?: string | null
          created_at?: string
          id?: never
          ip?: unknown
          metadata?: NonNullable<Json>
          target_id?: string | null
          target_type?: string | null
          user_agent?: string | null
          user_id?: string | null
        }
        Update: {
          action?: string
          actor_id?: string | null
          created_at?: string
          id?: never
          ip?: unknown
          metadata?: NonNullable<Json>
          target_id?: string | null
          target_type?: string | null
          user_agent?: string | null
          user_id?: string | null
        }
        Relationships: []
      }
      files: {
        Row: {
          bucket_id: string
          created_at: string
          declared_mime_type: string | null
          detected_mime_type: string | null
          height: number | null
          id: string
          owner_id: string
          path: string
          rejection_reason: string | null
          sha256: string | null
          size: number
          status: Database["public"]["Enums"]["file_status"]
          updated_at: string
          width: number | null
        }
        Insert: {
          bucket_id: string
          created_at?: string
          declared_mime_type?: string | null
          detected_mime_type?: string | null
          height?: number | null
          id?: string
          owner_id: string
          path: string
          rejection_reason?: string | null
          sha256?: string | null
          size: number
          status?: Database["public"]["Enums"]["file_status"]
          updated_at?: string
          width?: number | null
        }
        Update: {
          bucket_id?: string
          created_at?: string
          declared_mime_type?: string | null
          detected_mime_type?: string | null
          height?: number | null
          id?: string
          owner_id?: string
          path?: string
          rejection_reason?: string | null
          sha256?: string | null
          size?: number
          status?: Database["public"]["Enums"]["file_status"]
          updated_at?: string
          width?: number | null
        }
        Relationships: []
      }
      message_reactions: {
        Row: {
          created_at: string
          emoji: string
          message_id: number
          room_id: string
          user_id: string
        }
        Insert: {
          created_at?: string
          emoji: string
          message_id: number
          room_id: string
          user_id?: string
        }
        Update: {
          created_at?: string
          emoji?: string
          message_id?: number
          room_id?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "message_reactions_message_id_fkey"
            columns: ["message_id"]
            referencedRelation: "messages"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "message_reactions_room_id_fkey"
            columns: ["room_id"]
            referencedRelation: "rooms"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "message_reactions_user_id_fkey"
            columns: ["user_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      messages: {
        Row: {
          attachments: NonNullable<Json>
          body: string
          created_at: string
          deleted_at: string | null
          edited_at: string | null
          id: number
          reply_to_id: number | null
          room_id: string
          sender_id: string | null
        }
        Insert: {
          attachments?: NonNullable<Json>
          body: string
          created_at?: string
          deleted_at?: string | null
          edited_at?: string | null
          id?: never
          reply_to_id?: number | null
          room_id: string
          sender_id?: string | null
        }
        Update: {
          attachments?: NonNullable<Json>
          body?: string
          created_at?: string
          deleted_at?: string | null
          edited_at?: string | null
          id?: never
          reply_to_id?: number | null
          room_id?: string
          sender_id?: string | null
        }
        Relationships: [
          {
            foreignKeyName: "messages_reply_to_id_fkey"
            columns: ["reply_to_id"]
            referencedRelation: "messages"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "messages_room_id_fkey"
            columns: ["room_id"]
            referencedRelation: "rooms"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "messages_sender_id_fkey"
            columns: ["sender_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      notification_preferences: {
        Row: {
          channel: Database["public"]["Enums"]["notification_channel"]
          enabled: boolean
          type: string
          updated_at: string
          user_id: string
        }
        Insert: {
          channel: Database["public"]["Enums"]["notification_channel"]
          enabled: boolean
          type: string
          updated_at?: string
          user_id?: string
        }
        Update: {
          channel?: Database["public"]["Enums"]["notification_channel"]
          enabled?: boolean
          type?: string
          updated_at?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "notification_preferences_type_fkey"
            columns: ["type"]
            referencedRelation: "notification_types"
            referencedColumns: ["type"]
          },
          {
            foreignKeyName: "notification_preferences_user_id_fkey"
            columns: ["user_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      notification_settings: {
        Row: {
          email_digest_seconds: number
          quiet_hours_end: string | null
          quiet_hours_start: string | null
          updated_at: string
          user_id: string
        }
        Insert: {
          email_digest_seconds?: number
          quiet_hours_end?: string | null
          quiet_hours_start?: string | null
          updated_at?: string
          user_id?: string
        }
        Update: {
          email_digest_seconds?: number
          quiet_hours_end?: string | null
          quiet_hours_start?: string | null
          updated_at?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "notification_settings_user_id_fkey"
            columns: ["user_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      notification_types: {
        Row: {
          category: string
          channels: Database["public"]["Enums"]["notification_channel"][]
          description: string
          digest: boolean
          ignores_quiet_hours: boolean
          mandatory: boolean
          required_payload: string[]
          type: string
        }
        Insert: {
          category: string
          channels: Database["public"]["Enums"]["notification_channel"][]
          description: string
          digest?: boolean
          ignores_quiet_hours?: boolean
          mandatory?: boolean
          required_payload?: string[]
          type: string
        }
        Update: {
          category?: string
          channels?: Database["public"]["Enums"]["notification_channel"][]
          description?: string
          digest?: boolean
          ignores_quiet_hours?: boolean
          mandatory?: boolean
          required_payload?: string[]
          type?: string
        }
        Relationships: []
      }
      notifications: {
        Row: {
          archived_at: string | null
          body: string
          created_at: string
          data: NonNullable<Json>
          delivery_id: number | null
          id: number
          read_at: string | null
          title: string
          type: string
          user_id: string
        }
        Insert: {
          archived_at?: string | null
          body?: string
          created_at?: string
          data?: NonNullable<Json>
          delivery_id?: number | null
          id?: never
          read_at?: string | null
          title: string
          type: string
          user_id: string
        }
        Update: {
          archived_at?: string | null
          body?: string
          created_at?: string
          data?: NonNullable<Json>
          delivery_id?: number | null
          id?: never
          read_at?: string | null
          title?: string
          type?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "notifications_user_id_fkey"
            columns: ["user_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      profiles: {
        Row: {
          avatar_path: string | null
          bio: string | null
          created_at: string
          display_name: string
          id: string
          locale: string
          timezone: string
          updated_at: string
          username: string
        }
        Insert: {
          avatar_path?: string | null
          bio?: string | null
          created_at?: string
          display_name: string
          id: string
          locale?: string
          timezone?: string
          updated_at?: string
          username: string
        }
        Update: {
          avatar_path?: string | null
          bio?: string | null
          created_at?: string
          display_name?: string
          id?: string
          locale?: string
          timezone?: string
          updated_at?: string
          username?: string
        }
        Relationships: []
      }
      push_subscriptions: {
        Row: {
          auth: string
          created_at: string
          endpoint: string
          id: string
          last_success_at: string | null
          p256dh: string
          user_agent: string | null
          user_id: string
        }
        Insert: {
          auth: string
          created_at?: string
          endpoint: string
          id?: string
          last_success_at?: string | null
          p256dh: string
          user_agent?: string | null
          user_id?: string
        }
        Update: {
          auth?: string
          created_at?: string
          endpoint?: string
          id?: string
          last_success_at?: string | null
          p256dh?: string
          user_agent?: string | null
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "push_subscriptions_user_id_fkey"
            columns: ["user_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      reports: {
        Row: {
          created_at: string
          details: string | null
          id: number
          message_id: number | null
          reason: Database["public"]["Enums"]["report_reason"]
          reported_user_id: string | null
          reporter_id: string | null
          resolution_note: string | null
          resolved_at: string | null
          resolved_by: string | null
          status: Database["public"]["Enums"]["report_status"]
        }
        Insert: {
          created_at?: string
          details?: string | null
          id?: never
          message_id?: number | null
          reason: Database["public"]["Enums"]["report_reason"]
          reported_user_id?: string | null
          reporter_id?: string | null
          resolution_note?: string | null
          resolved_at?: string | null
          resolved_by?: string | null
          status?: Database["public"]["Enums"]["report_status"]
        }
        Update: {
          created_at?: string
          details?: string | null
          id?: never
          message_id?: number | null
          reason?: Database["public"]["Enums"]["report_reason"]
          reported_user_id?: string | null
          reporter_id?: string | null
          resolution_note?: string | null
          resolved_at?: string | null
          resolved_by?: string | null
          status?: Database["public"]["Enums"]["report_status"]
        }
        Relationships: [
          {
            foreignKeyName: "reports_message_id_fkey"
            columns: ["message_id"]
            referencedRelation: "messages"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "reports_reported_user_id_fkey"
            columns: ["reported_user_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "reports_reporter_id_fkey"
            columns: ["reporter_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "reports_resolved_by_fkey"
            columns: ["resolved_by"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      room_members: {
        Row: {
          joined_at: string
          last_read_at: string | null
          last_read_message_id: number | null
          muted: boolean
          role: Database["public"]["Enums"]["room_role"]
          room_id: string
          user_id: string
        }
        Insert: {
          joined_at?: string
          last_read_at?: string | null
          last_read_message_id?: number | null
          muted?: boolean
          role?: Database["public"]["Enums"]["room_role"]
          room_id: string
          user_id: string
        }
        Update: {
          joined_at?: string
          last_read_at?: string | null
          last_read_message_id?: number | null
          muted?: boolean
          role?: Database["public"]["Enums"]["room_role"]
          room_id?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "room_members_last_read_message_in_room_fkey"
            columns: ["room_id", "last_read_message_id"]
            referencedRelation: "messages"
            referencedColumns: ["room_id", "id"]
          },
          {
            foreignKeyName: "room_members_room_id_fkey"
            columns: ["room_id"]
            referencedRelation: "rooms"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "room_members_user_id_fkey"
            columns: ["user_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      rooms: {
        Row: {
          created_at: string
          created_by: string | null
          direct_key: string | null
          id: string
          kind: Database["public"]["Enums"]["room_kind"]
          last_message_at: string | null
          name: string | null
          topic: string | null
          updated_at: string
        }
        Insert: {
          created_at?: string
          created_by?: string | null
          direct_key?: string | null
          id?: string
          kind: Database["public"]["Enums"]["room_kind"]
          last_message_at?: string | null
          name?: string | null
          topic?: string | null
          updated_at?: string
        }
        Update: {
          created_at?: string
          created_by?: string | null
          direct_key?: string | null
          id?: string
          kind?: Database["public"]["Enums"]["room_kind"]
          last_message_at?: string | null
          name?: string | null
          topic?: string | null
          updated_at?: string
        }
        Relationships: []
      }
      storage_quotas: {
        Row: {
          quota_bytes: number
          user_id: string
        }
        Insert: {
          quota_bytes: number
          user_id: string
        }
        Update: {
          quota_bytes?: number
          user_id?: string
        }
        Relationships: []
      }
      user_blocks: {
        Row: {
          blocked_id: string
          blocker_id: string
          created_at: string
        }
        Insert: {
          blocked_id: string
          blocker_id?: string
          created_at?: string
        }
        Update: {
          blocked_id?: string
          blocker_id?: string
          created_at?: string
        }
        Relationships: [
          {
            foreignKeyName: "user_blocks_blocked_id_fkey"
            columns: ["blocked_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
          {
            foreignKeyName: "user_blocks_blocker_id_fkey"
            columns: ["blocker_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
      user_settings: {
        Row: {
          allow_messages_from: Database["public"]["Enums"]["message_permission"]
          notification_preferences: NonNullable<Json>
          show_online_status: boolean
          show_read_receipts: boolean
          updated_at: string
          user_id: string
        }
        Insert: {
          allow_messages_from?: Database["public"]["Enums"]["message_permission"]
          notification_preferences?: NonNullable<Json>
          show_online_status?: boolean
          show_read_receipts?: boolean
          updated_at?: string
          user_id: string
        }
        Update: {
          allow_messages_from?: Database["public"]["Enums"]["message_permission"]
          notification_preferences?: NonNullable<Json>
          show_online_status?: boolean
          show_read_receipts?: boolean
          updated_at?: string
          user_id?: string
        }
        Relationships: [
          {
            foreignKeyName: "user_settings_user_id_fkey"
            columns: ["user_id"]
            referencedRelation: "profiles"
            referencedColumns: ["id"]
          },
        ]
      }
    }
    Views: {
      [_ in never]: never
    }
    Functions: {
      add_room_member: {
        Args: {
          role?: Database["public"]["Enums"]["room_role"]
          room_id: string
          user_id: string
        }
        Returns: undefined
      }
      claim_notification_deliveries: {
        Args: { batch_size?: number; visibility_timeout_seconds?: number }
        Returns: Json
      }
      complete_notification_deliveries: {
        Args: { claim_id: string; results: Json }
        Returns: Json
      }
      create_group_room: {
        Args: { member_ids?: string[]; name: string; topic?: string }
        Returns: string
      }
      delete_message: { Args: { message_id: number }; Returns: undefined }
      enqueue_notification: {
        Args: {
          actor_id?: string
          idempotency_key?: string
          payload?: Json
          recipient_ids: string[]
          type: string
        }
        Returns: number
      }
      forget_push_subscriptions: {
        Args: { subscription_ids: string[] }
        Returns: number
      }
      get_or_create_direct_room: {
        Args: { other_user_id: string }
        Returns: string
      }
      is_username_available: { Args: { username: string }; Returns: boolean }
      leave_room: { Args: { room_id: string }; Returns: undefined }
      list_my_rooms: {
        Args: Record<PropertyKey, never>
        Returns: {
          kind: Database["public"]["Enums"]["room_kind"]
          last_message_at: string
          last_read_message_id: number
          muted: boolean
          name: string
          other_user_id: string
          role: Database["public"]["Enums"]["room_role"]
          room_id: string
          topic: string
          unread_count: number
        }[]
      }
      list_my_sessions: {
        Args: Record<PropertyKey, never>
        Returns: {
          aal: string
          created_at: string
          id: string
          ip: unknown
          is_current: boolean
          not_after: string
          refreshed_at: string
          updated_at: string
          user_agent: string
        }[]
      }
      mark_all_notifications_read: {
        Args: Record<PropertyKey, never>
        Returns: number
      }
      mark_room_read: {
        Args: { room_id: string; up_to_message_id?: number }
        Returns: undefined
      }
      remove_room_member: {
        Args: { room_id: string; user_id: string }
        Returns: undefined
      }
      revoke_my_other_sessions: {
        Args: Record<PropertyKey, never>
        Returns: number
      }
      revoke_my_session: { Args: { session_id: string }; Returns: boolean }
      save_push_subscription: {
        Args: {
          auth: string
          endpoint: string
          p256dh: string
          user_agent?: string
        }
        Returns: string
      }
      search_messages: {
        Args: { max_results?: number; query: string; room_id?: string }
        Returns: {
          attachments: NonNullable<Json>
          body: string
          created_at: string
          deleted_at: string | null
          edited_at: string | null
          id: number
          reply_to_id: number | null
          room_id: string
          sender_id: string | null
        }[]
        SetofOptions: {
          from: "*"
          to: "messages"
          isOneToOne: false
          isSetofReturn: true
        }
      }
      set_room_member_role: {
        Args: {
          role: Database["public"]["Enums"]["room_role"]
          room_id: string
          user_id: string
        }
        Returns: undefined
      }
    }
    Enums: {
      file_status: "pending" | "ready" | "rejected"
      message_permission: "everyone" | "shared_rooms" | "nobody"
      notification_channel: "in_app" | "email" | "push"
      report_reason:
        | "spam"
        | "harassment"
        | "hate"
        | "violence"
        | "sexual_content"
        | "impersonation"
        | "other"
      report_status: "open" | "reviewing" | "resolved" | "dismissed"
      room_kind: "direct" | "group"
      room_role: "owner" | "admin" | "member"
    }
    CompositeTypes: {
      [_ in never]: never
    }
  }
}

type DatabaseWithoutInternals = Omit<Database, "__InternalSupabase">

type DefaultSchema = DatabaseWithoutInternals[Extract<keyof Database, "public">]

export type Tables<
  DefaultSchemaTableNameOrOptions extends
    | keyof (DefaultSchema["Tables"] & DefaultSchema["Views"])
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
        DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? (DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"] &
      DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Views"])[TableName] extends {
      Row: infer R
    }
    ? R
    : never
  : DefaultSchemaTableNameOrOptions extends keyof (DefaultSchema["Tables"] &
        DefaultSchema["Views"])
    ? (DefaultSchema["Tables"] &
        DefaultSchema["Views"])[DefaultSchemaTableNameOrOptions] extends {
        Row: infer R
      }
      ? R
      : never
    : never

export type TablesInsert<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Insert: infer I
    }
    ? I
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Insert: infer I
      }
      ? I
      : never
    : never

export type TablesUpdate<
  DefaultSchemaTableNameOrOptions extends
    | keyof DefaultSchema["Tables"]
    | { schema: keyof DatabaseWithoutInternals },
  TableName extends (DefaultSchemaTableNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"]
    : never) = never,
> = DefaultSchemaTableNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaTableNameOrOptions["schema"]]["Tables"][TableName] extends {
      Update: infer U
    }
    ? U
    : never
  : DefaultSchemaTableNameOrOptions extends keyof DefaultSchema["Tables"]
    ? DefaultSchema["Tables"][DefaultSchemaTableNameOrOptions] extends {
        Update: infer U
      }
      ? U
      : never
    : never

export type Enums<
  DefaultSchemaEnumNameOrOptions extends
    | keyof DefaultSchema["Enums"]
    | { schema: keyof DatabaseWithoutInternals },
  EnumName extends (DefaultSchemaEnumNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"]
    : never) = never,
> = DefaultSchemaEnumNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[DefaultSchemaEnumNameOrOptions["schema"]]["Enums"][EnumName]
  : DefaultSchemaEnumNameOrOptions extends keyof DefaultSchema["Enums"]
    ? DefaultSchema["Enums"][DefaultSchemaEnumNameOrOptions]
    : never

export type CompositeTypes<
  PublicCompositeTypeNameOrOptions extends
    | keyof DefaultSchema["CompositeTypes"]
    | { schema: keyof DatabaseWithoutInternals },
  CompositeTypeName extends (PublicCompositeTypeNameOrOptions extends {
    schema: keyof DatabaseWithoutInternals
  }
    ? keyof DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"]
    : never) = never,
> = PublicCompositeTypeNameOrOptions extends {
  schema: keyof DatabaseWithoutInternals
}
  ? DatabaseWithoutInternals[PublicCompositeTypeNameOrOptions["schema"]]["CompositeTypes"][CompositeTypeName]
  : PublicCompositeTypeNameOrOptions extends keyof DefaultSchema["CompositeTypes"]
    ? DefaultSchema["CompositeTypes"][PublicCompositeTypeNameOrOptions]
    : never

export const Constants = {
  graphql_public: {
    Enums: {},
  },
  public: {
    Enums: {
      file_status: ["pending", "ready", "rejected"],
      message_permission: ["everyone", "shared_rooms", "nobody"],
      notification_channel: ["in_app", "email", "push"],
      report_reason: [
        "spam",
        "harassment",
        "hate",
        "violence",
        "sexual_content",
        "impersonation",
        "other",
      ],
      report_status: ["open", "reviewing", "resolved", "dismissed"],
      room_kind: ["direct", "group"],
      room_role: ["owner", "admin", "member"],
    },
  },
} as const
